namespace ConstCl.Export;

/// <summary>Layers applied one after the other (the IR's <c>Sequential</c>).</summary>
/// <param name="Layers">The layers, in order.</param>
internal sealed record OnnxChainLayer(IReadOnlyList<IOnnxExportable> Layers) : IOnnxExportable
{
    /// <summary>Chains the given layers.</summary>
    public OnnxChainLayer(params IOnnxExportable[] layers)
        : this((IReadOnlyList<IOnnxExportable>)layers)
    {
    }

    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(Layers);
        var x = input;
        foreach (var layer in Layers)
        {
            x = layer.Export(builder, x);
        }

        return x;
    }
}

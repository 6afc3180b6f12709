namespace ConstCl.Export;

/// <summary>
/// A residual block: <c>out = ReLU(main(x) + shortcut(x))</c>, the shortcut being the identity when
/// <paramref name="Shortcut"/> is null (R3D-50 bottleneck: main = 1×… conv-BN-ReLU, 1×3×3 conv-BN-ReLU,
/// 1×1×1 conv-BN; shortcut = 1×1×1 strided projection conv-BN in the first block of a stage).
/// </summary>
/// <param name="Main">The main path.</param>
/// <param name="Shortcut">The projection shortcut, or null for identity.</param>
/// <param name="ReluAfterAdd">Whether ReLU follows the addition (true for ResNet).</param>
internal sealed record OnnxResidualLayer(IOnnxExportable Main, IOnnxExportable? Shortcut = null, bool ReluAfterAdd = true) : IOnnxExportable
{
    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(Main);
        var main = Main.Export(builder, input);                              // [N, 4f, T, H', W']
        var shortcut = Shortcut is null ? input : Shortcut.Export(builder, input);
        var sum = builder.Add(main, shortcut);
        return ReluAfterAdd ? builder.Relu(sum) : sum;
    }
}

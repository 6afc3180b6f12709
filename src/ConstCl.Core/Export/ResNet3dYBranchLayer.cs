using ConstCl.Modeling;

namespace ConstCl.Export;

/// <summary>
/// One branch of <see cref="ResNet3dY"/> as the exporter sees it: <c>stem → res2 → res3 → res4 → res5 (or res5_local)</c>,
/// the same modules <see cref="ResNet3dY.ForwardBranch"/> runs. The stem and every block are lowered by
/// <see cref="BackboneLowering"/>, so both padding modes export. <c>[N, 3, T, H, W] → [N, 2048, T′, H′, W′]</c>.
/// </summary>
/// <param name="Backbone">The backbone (weights only read).</param>
/// <param name="Branch">Which res5 to export.</param>
internal sealed record ResNet3dYBranchLayer(ResNet3dY Backbone, BackboneBranch Branch) : IOnnxExportable
{
    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(Backbone);
        return OnnxModuleLowering.LowerSequence(builder, Backbone.BranchModules(Branch), input);
    }
}

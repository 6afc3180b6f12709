using ConstCl.Modeling;

namespace ConstCl.Export;

/// <summary>
/// One branch of <see cref="ResNet3dY"/> as the exporter sees it: <c>stem → res2 → res3 → res4 → res5 (or res5_local)</c>,
/// cut after <paramref name="Stage"/>: the same modules <see cref="ResNet3dY.ForwardBranch(TorchSharp.torch.Tensor, BackboneBranch, BackboneStage)"/>
/// runs. The stem and every block are lowered by <see cref="BackboneLowering"/>, so both padding modes export.
/// <c>[N, 3, T, H, W] → [N, C, T′, H′, W′]</c> (C = 2048 for Paper's res5).
/// </summary>
/// <param name="Backbone">The backbone (weights only read).</param>
/// <param name="Branch">Which res5 to export.</param>
/// <param name="Stage">The last stage exported (res5: the whole branch).</param>
internal sealed record ResNet3dYBranchLayer(ResNet3dY Backbone, BackboneBranch Branch, BackboneStage Stage = BackboneStage.Res5) : IOnnxExportable
{
    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(Backbone);
        return OnnxModuleLowering.LowerSequence(builder, Backbone.BranchModules(Branch, Stage), input);
    }
}

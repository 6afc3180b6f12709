using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// What <c>ConstClModel.forward</c> returns: everything the objective needs, as named tensors
/// (B = videos in the batch, N = boxes per key frame, C = local feature width, D = projection width).
/// </summary>
/// <param name="GlobalEmbeddings">Global projections <c>[2B, D]</c>: rows 0..B-1 are view A, rows B..2B-1 view B (not normalised).</param>
/// <param name="RegionFeaturesA">Key-frame ROI features of view A, <c>[B, N, C]</c> (h; from the L2-normalised local branch).</param>
/// <param name="RegionFeaturesB">Key-frame ROI features of view B, <c>[B, N, C]</c> (h′).</param>
/// <param name="PredictionsAToB">Regions of A translated with B's context, <c>[B, N, C]</c> (z_a2b).</param>
/// <param name="PredictionsBToA">Regions of B translated with A's context, <c>[B, N, C]</c> (z_b2a).</param>
/// <param name="RegionMaskA">Valid key-frame boxes of view A, <c>[B, N]</c> bool.</param>
/// <param name="RegionMaskB">Valid key-frame boxes of view B, <c>[B, N]</c> bool.</param>
public sealed record ConstClModelOutput(
    Tensor GlobalEmbeddings,
    Tensor RegionFeaturesA,
    Tensor RegionFeaturesB,
    Tensor PredictionsAToB,
    Tensor PredictionsBToA,
    Tensor RegionMaskA,
    Tensor RegionMaskB) : IDisposable
{
    /// <summary>
    /// The backbone's pooled global features <c>[2B, C]</c> (mean of res5 over T′, H′, W′; detached): what an embedding of
    /// the clip is, measured for collapse diagnostics. Null when the producer did not supply them.
    /// </summary>
    public Tensor? BackboneEmbeddings { get; init; }

    /// <summary>
    /// Global embeddings <c>[B, D]</c> of view B's clips played backwards (frame order reversed), row i from video i;
    /// null unless the forward pass was asked for them (<see cref="ConstClModel.Forward(ConstClModelInput, bool)"/>,
    /// <see cref="Losses.ConstClObjectiveOptions.TimeReversedNegatives"/>).
    /// </summary>
    public Tensor? ReversedEmbeddings { get; init; }

    /// <summary>Disposes every tensor held by this output.</summary>
    public void Dispose()
    {
        GlobalEmbeddings.Dispose();
        RegionFeaturesA.Dispose();
        RegionFeaturesB.Dispose();
        PredictionsAToB.Dispose();
        PredictionsBToA.Dispose();
        RegionMaskA.Dispose();
        RegionMaskB.Dispose();
        BackboneEmbeddings?.Dispose();
        ReversedEmbeddings?.Dispose();
    }
}

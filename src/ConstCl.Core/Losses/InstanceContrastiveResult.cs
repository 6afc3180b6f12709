using static TorchSharp.torch;

namespace ConstCl.Losses;

/// <summary>
/// The local (region-level) InfoNCE loss of ConST-CL and its diagnostics, as the official
/// <c>InstanceContrastiveLoss</c> returns them. Scalars are 0-D tensors in the inputs' dtype on the inputs'
/// device; only <see cref="Loss"/> carries gradient. Each similarity statistic is the official one: computed
/// per direction, then averaged over the two directions. A statistic with nothing to average over (no valid
/// anchor, or no other video in the batch for the negatives) is NaN.
/// </summary>
/// <param name="Loss">The loss to minimise: <c>0.5 · (LossAToB + LossBToA)</c> (the official MEAN of both directions).</param>
/// <param name="LossAToB">Masked mean InfoNCE of the a→b predictions against view-B regions (detached).</param>
/// <param name="LossBToA">Masked mean InfoNCE of the b→a predictions against view-A regions (detached).</param>
/// <param name="PositiveSimilarityMean">Mean cosine of valid anchors with their matched positive (detached).</param>
/// <param name="PositiveSimilarityMin">Smallest such cosine over valid anchors (detached).</param>
/// <param name="PositiveSimilarityMax">Largest such cosine over valid anchors (detached).</param>
/// <param name="NegativeSimilarityMean">Mean cosine of valid anchors with all negatives (detached).</param>
/// <param name="NegativeSimilarityMin">Mean over valid anchors of each anchor's smallest negative cosine (detached).</param>
/// <param name="NegativeSimilarityMax">Mean over valid anchors of each anchor's largest negative cosine (detached).</param>
/// <param name="IndicesAToB">Correspondence <c>[B, N]</c> int64: for each view-A region, the index of the view-B region
/// of the same video with the highest cosine similarity of their ROI features (first index on ties).</param>
/// <param name="IndicesBToA">Correspondence <c>[B, N]</c> int64: for each view-B region, the best view-A region.</param>
public sealed record InstanceContrastiveResult(
    Tensor Loss,
    Tensor LossAToB,
    Tensor LossBToA,
    Tensor PositiveSimilarityMean,
    Tensor PositiveSimilarityMin,
    Tensor PositiveSimilarityMax,
    Tensor NegativeSimilarityMean,
    Tensor NegativeSimilarityMin,
    Tensor NegativeSimilarityMax,
    Tensor IndicesAToB,
    Tensor IndicesBToA) : IDisposable
{
    /// <summary>Disposes every tensor of the result.</summary>
    public void Dispose()
    {
        Loss.Dispose();
        LossAToB.Dispose();
        LossBToA.Dispose();
        PositiveSimilarityMean.Dispose();
        PositiveSimilarityMin.Dispose();
        PositiveSimilarityMax.Dispose();
        NegativeSimilarityMean.Dispose();
        NegativeSimilarityMin.Dispose();
        NegativeSimilarityMax.Dispose();
        IndicesAToB.Dispose();
        IndicesBToA.Dispose();
    }
}

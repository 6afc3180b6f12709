using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>What a local (region) head returns for a two-view batch of B videos with N key-frame boxes each.</summary>
/// <param name="RegionFeaturesA">h of view A, <c>[B, N, C]</c>.</param>
/// <param name="RegionFeaturesB">h′ of view B, <c>[B, N, C]</c>.</param>
/// <param name="PredictionsAToB">z_a2b, <c>[B, N, C]</c>.</param>
/// <param name="PredictionsBToA">z_b2a, <c>[B, N, C]</c>.</param>
internal sealed record LocalHeadOutput(Tensor RegionFeaturesA, Tensor RegionFeaturesB, Tensor PredictionsAToB, Tensor PredictionsBToA);

using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Losses;

/// <summary>
/// The local (region-level) contrastive loss of ConST-CL, exactly as the official
/// <c>losses.py:InstanceContrastiveLoss</c> (single replica) computes it.
/// </summary>
/// <remarks>
/// <para>All four inputs are L2-normalised over channels. The positive of each region is found in feature
/// space: <c>S[b, j, k] = h_A[b, j] · h_B[b, k]</c>; a→b anchor j of video b takes view-B region
/// <c>argmax_k S[b, j, k]</c> and b→a anchor k takes view-A region <c>argmax_j S[b, j, k]</c> (nearest neighbour,
/// not one-to-one, invalid regions not excluded, first index on ties, no stop-gradient).</para>
/// <para>Per direction, with prediction z, targets t and anchor weights m:
/// <c>loss[b, j] = logsumexp([z·t_pos/τ, z·t[p, q]/τ for every p ≠ b, every q]) − z·t_pos/τ</c> — the negatives are
/// all target-view regions of the <b>other</b> videos, none of the same video — and the direction loss is
/// <c>Σ m·loss / Σ m</c> (0 when <c>Σ m = 0</c>). The loss is the <b>mean</b> of the two directions.</para>
/// </remarks>
public static class InstanceContrastiveLoss
{
    // Scalars that are never finalised (see Scalars): the masked-statistics fill values.
    private static readonly Scalar NotANumber = double.NaN.ToScalar();
    private static readonly Scalar MinusInfinity = double.NegativeInfinity.ToScalar();
    private static readonly Scalar PlusInfinity = double.PositiveInfinity.ToScalar();

    /// <summary>Computes the loss, its diagnostics and the correspondence.</summary>
    /// <param name="predictionsAToB">View-A regions translated with view B's context, <c>[B, N, C]</c> (z_a2b).</param>
    /// <param name="predictionsBToA">View-B regions translated with view A's context, <c>[B, N, C]</c> (z_b2a).</param>
    /// <param name="regionsA">ROI features of view A, <c>[B, N, C]</c> (h); targets of the b→a direction.</param>
    /// <param name="regionsB">ROI features of view B, <c>[B, N, C]</c> (h′); targets of the a→b direction.</param>
    /// <param name="maskA">Weights of the a→b anchors, <c>[B, N]</c>: bool (valid boxes) or numeric.</param>
    /// <param name="maskB">Weights of the b→a anchors, <c>[B, N]</c>: bool or numeric.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0 (official default 0.2).</param>
    /// <returns>The loss (differentiable), detached diagnostics and the correspondence; dispose it when done.</returns>
    public static InstanceContrastiveResult Compute(
        Tensor predictionsAToB,
        Tensor predictionsBToA,
        Tensor regionsA,
        Tensor regionsB,
        Tensor maskA,
        Tensor maskB,
        double temperature)
    {
        TensorGuard.RequireRank(predictionsAToB, 3, nameof(predictionsAToB), "[B, N, C]");
        TensorGuard.RequireFloating(predictionsAToB, nameof(predictionsAToB));
        foreach (var (t, name) in new[] { (predictionsBToA, nameof(predictionsBToA)), (regionsA, nameof(regionsA)), (regionsB, nameof(regionsB)) })
        {
            TensorGuard.RequireRank(t, 3, name, "[B, N, C]");
            TensorGuard.RequireSameShape(t, predictionsAToB, name, nameof(predictionsAToB));
            TensorGuard.RequireSameDtypeAndDevice(t, predictionsAToB, name, nameof(predictionsAToB));
        }

        long batch = predictionsAToB.shape[0], regions = predictionsAToB.shape[1];
        if (batch < 1 || regions < 1 || predictionsAToB.shape[2] < 1)
        {
            throw new ArgumentException(
                $"predictionsAToB must have B, N and C of at least 1; got {TensorGuard.Describe(predictionsAToB)}.", nameof(predictionsAToB));
        }

        foreach (var (m, name) in new[] { (maskA, nameof(maskA)), (maskB, nameof(maskB)) })
        {
            TensorGuard.RequireRank(m, 2, name, "[B, N]");
            if (m.shape[0] != batch || m.shape[1] != regions)
            {
                throw new ArgumentException($"{name} must have shape [{batch}, {regions}] ([B, N]); got {TensorGuard.Describe(m)}.", name);
            }

            TensorGuard.RequireSameDevice(m, predictionsAToB, name, nameof(predictionsAToB));
        }

        TensorGuard.RequirePositiveFinite(temperature, nameof(temperature));

        using var scope = NewDisposeScope();
        var dtype = predictionsAToB.dtype;
        var za2b = L2Normalize.Apply(predictionsAToB); // [B, N, C]
        var zb2a = L2Normalize.Apply(predictionsBToA);
        var ha = L2Normalize.Apply(regionsA);
        var hb = L2Normalize.Apply(regionsB);

        Tensor indicesAToB, indicesBToA;
        using (no_grad())
        {
            var similarity = ha.bmm(hb.transpose(1, 2)); // [B, N(a), N(b)], same video only
            indicesAToB = similarity.argmax(2);          // [B, N]: best b-region for each a-region
            indicesBToA = similarity.argmax(1);          // [B, N]: best a-region for each b-region
        }

        var a2b = Direction(za2b, hb, indicesAToB, maskA.detach().to_type(dtype), temperature);
        var b2a = Direction(zb2a, ha, indicesBToA, maskB.detach().to_type(dtype), temperature);

        Tensor Mean(Tensor x, Tensor y) => x.add(y, Scalars.One).mul(Scalars.HalfDouble);
        var loss = Mean(a2b.Loss, b2a.Loss);
        Tensor Detached(Tensor x, Tensor y)
        {
            using (no_grad())
            {
                return Mean(x, y).MoveToOuterDisposeScope();
            }
        }

        return new InstanceContrastiveResult(
            loss.MoveToOuterDisposeScope(),
            a2b.Loss.detach().MoveToOuterDisposeScope(),
            b2a.Loss.detach().MoveToOuterDisposeScope(),
            Detached(a2b.PositiveMean, b2a.PositiveMean),
            Detached(a2b.PositiveMin, b2a.PositiveMin),
            Detached(a2b.PositiveMax, b2a.PositiveMax),
            Detached(a2b.NegativeMean, b2a.NegativeMean),
            Detached(a2b.NegativeMin, b2a.NegativeMin),
            Detached(a2b.NegativeMax, b2a.NegativeMax),
            indicesAToB.MoveToOuterDisposeScope(),
            indicesBToA.MoveToOuterDisposeScope());
    }

    private sealed record DirectionResult(
        Tensor Loss,
        Tensor PositiveMean,
        Tensor PositiveMin,
        Tensor PositiveMax,
        Tensor NegativeMean,
        Tensor NegativeMin,
        Tensor NegativeMax);

    /// <summary>
    /// One direction (official <c>_compute_constrastive_loss</c>): predictions <c>[B, N, C]</c> and targets
    /// <c>[B, N, C]</c>, both normalised; positive indices <c>[B, N]</c>; anchor weights <c>[B, N]</c>.
    /// Runs inside the caller's dispose scope.
    /// </summary>
    private static DirectionResult Direction(Tensor predictions, Tensor targets, Tensor positiveIndex, Tensor mask, double temperature)
    {
        long batch = predictions.shape[0], regions = predictions.shape[1], channels = predictions.shape[2];
        long anchors = batch * regions;
        var device = predictions.device;

        // Every anchor against every target region of the batch: [B·N, B·N].
        var cosine = predictions.reshape(anchors, channels).matmul(targets.reshape(anchors, channels).t());
        var video = Scalars.Arange(batch, ScalarType.Int64, device).repeat_interleave(regions); // [B·N] video of each row/column
        var sameVideo = video.unsqueeze(1).eq(video.unsqueeze(0));                      // [B·N, B·N] excluded from negatives
        using var tau = temperature.ToScalar();                                         // alive until the end (see Scalars)
        var negatives = cosine.div(tau).masked_fill(sameVideo, GlobalContrastiveLoss.MaskedLogit);

        var matched = targets.gather(1, positiveIndex.unsqueeze(-1).expand(batch, regions, channels)); // [B, N, C]
        var positiveCosine = predictions.mul(matched).sum(-1).reshape(anchors);                      // [B·N]
        var positive = positiveCosine.div(tau);

        var logits = cat(new[] { positive.unsqueeze(1), negatives }, 1);  // [B·N, 1 + B·N]
        var perAnchor = logits.logsumexp(1).sub(positive);                 // [B·N]
        var weights = mask.reshape(anchors);
        var weightSum = weights.sum();
        var loss = DivideNoNan(perAnchor.mul(weights).sum(), weightSum);

        using (no_grad())
        {
            var valid = weights.ne(Scalars.Zero);
            var nan = full(Array.Empty<long>(), NotANumber, predictions.dtype, device);
            Tensor Ratio(Tensor numerator, Tensor denominator) => where(denominator.ne(Scalars.Zero), numerator.div(denominator), nan);

            var positiveMean = Ratio(positiveCosine.mul(weights).sum(), weightSum);
            var positiveMax = Ratio(positiveCosine.masked_fill(valid.logical_not(), MinusInfinity).max(), valid.any().to_type(predictions.dtype));
            var positiveMin = Ratio(positiveCosine.masked_fill(valid.logical_not(), PlusInfinity).min(), valid.any().to_type(predictions.dtype));

            // Negative pairs: other videos only, weighted by the anchor's weight.
            var other = sameVideo.logical_not();
            var pairWeights = other.to_type(predictions.dtype).mul(weights.unsqueeze(1));  // [B·N, B·N]
            var negativeMean = Ratio(cosine.mul(pairWeights).sum(), pairWeights.sum());
            Tensor PerAnchorMean(Tensor perAnchorValue) =>
                batch > 1
                    ? Ratio(perAnchorValue.masked_fill(valid.logical_not(), Scalars.ZeroDouble).mul(weights).sum(), weightSum)
                    : nan;
            var negativeMax = PerAnchorMean(cosine.masked_fill(sameVideo, MinusInfinity).amax(new long[] { 1 }));
            var negativeMin = PerAnchorMean(cosine.masked_fill(sameVideo, PlusInfinity).amin(new long[] { 1 }));
            return new DirectionResult(loss, positiveMean, positiveMin, positiveMax, negativeMean, negativeMin, negativeMax);
        }
    }

    /// <summary>TensorFlow's <c>divide_no_nan</c>: 0 where the denominator is 0, with a finite gradient.</summary>
    internal static Tensor DivideNoNan(Tensor numerator, Tensor denominator)
    {
        var zero = denominator.eq(Scalars.Zero);
        var safe = where(zero, ones_like(denominator), denominator);
        return where(zero, zeros_like(numerator), numerator.div(safe));
    }
}

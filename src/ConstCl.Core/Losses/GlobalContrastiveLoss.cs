using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Losses;

/// <summary>
/// The global contrastive loss of CVRL / ConST-CL: SimCLR's NT-Xent on L2-normalised clip embeddings,
/// exactly as the official <c>losses.py:ContrastiveLoss</c> (single replica) computes it.
/// </summary>
/// <remarks>
/// With <c>a = l2norm(viewA)</c>, <c>b = l2norm(viewB)</c> (<c>[B, D]</c>) and temperature τ, anchor i of view A
/// is classified among <c>[a_i·b_j/τ]_j ∪ [a_i·a_j/τ]_{j≠i}</c> with label <c>b_i</c> (2B − 2 negatives),
/// and symmetrically for view B; each direction is the mean cross-entropy over its B anchors, and the loss is
/// their <b>sum</b> (not their mean). No label smoothing.
/// </remarks>
public static class GlobalContrastiveLoss
{
    /// <summary>Added to a logit to remove it from the softmax (the official <c>_LARGE_NUM</c>).</summary>
    internal const double LargeNumber = 1e9;

    /// <summary><c>−LargeNumber</c> as a Scalar that is never finalised (see <see cref="Scalars"/>).</summary>
    internal static readonly Scalar MaskedLogit = (-LargeNumber).ToScalar();

    // The floor inside the entropy's log.
    private static readonly Scalar EntropyEpsilon = 1e-8.ToScalar();

    /// <summary>Computes the official loss and its diagnostics (no extra negatives).</summary>
    /// <param name="viewA">Embeddings of the first view, <c>[B, D]</c>, float32 or float64 (not necessarily normalised).</param>
    /// <param name="viewB">Embeddings of the second view, <c>[B, D]</c>; row i is the positive of row i of <paramref name="viewA"/>.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0 (the official default is 0.1).</param>
    /// <returns>The loss (differentiable) and detached diagnostics; dispose it when done.</returns>
    public static GlobalContrastiveResult Compute(Tensor viewA, Tensor viewB, double temperature) => Compute(viewA, viewB, temperature, null);

    /// <summary>Computes the loss and its diagnostics.</summary>
    /// <param name="viewA">Embeddings of the first view, <c>[B, D]</c>, float32 or float64 (not necessarily normalised).</param>
    /// <param name="viewB">Embeddings of the second view, <c>[B, D]</c>; row i is the positive of row i of <paramref name="viewA"/>.</param>
    /// <param name="temperature">Softmax temperature τ &gt; 0 (the official default is 0.1).</param>
    /// <param name="negatives">
    /// Optional extra negatives <c>[M, D]</c> for every anchor of both directions (the time-reversed view-B clips of
    /// <see cref="ConstClObjectiveOptions.TimeReversedNegatives"/>; not normalised); each anchor's softmax then runs over
    /// <c>2B − 1 + M</c> candidates. Null: the official loss.
    /// </param>
    /// <returns>The loss (differentiable) and detached diagnostics; dispose it when done.</returns>
    public static GlobalContrastiveResult Compute(Tensor viewA, Tensor viewB, double temperature, Tensor? negatives)
    {
        TensorGuard.RequireRank(viewA, 2, nameof(viewA), "[B, D]");
        TensorGuard.RequireRank(viewB, 2, nameof(viewB), "[B, D]");
        TensorGuard.RequireFloating(viewA, nameof(viewA));
        TensorGuard.RequireSameShape(viewB, viewA, nameof(viewB), nameof(viewA));
        TensorGuard.RequireSameDtypeAndDevice(viewB, viewA, nameof(viewB), nameof(viewA));
        TensorGuard.RequirePositiveFinite(temperature, nameof(temperature));
        if (negatives is not null)
        {
            TensorGuard.RequireRank(negatives, 2, nameof(negatives), "[M, D]");
            TensorGuard.RequireSameDtypeAndDevice(negatives, viewA, nameof(negatives), nameof(viewA));
            if (negatives.shape[1] != viewA.shape[1])
            {
                throw new ArgumentException($"negatives must be [M, {viewA.shape[1]}] (viewA's width); got {TensorGuard.Describe(negatives)}.", nameof(negatives));
            }
        }

        long batch = viewA.shape[0];
        if (batch < 1 || viewA.shape[1] < 1)
        {
            throw new ArgumentException($"viewA must have at least one row and one column; got {TensorGuard.Describe(viewA)}.", nameof(viewA));
        }

        using var scope = NewDisposeScope();
        var a = L2Normalize.Apply(viewA);                                    // [B, D]
        var b = L2Normalize.Apply(viewB);                                    // [B, D]
        var self = eye(batch, dtype: ScalarType.Bool, device: viewA.device); // [B, B]
        using var tau = temperature.ToScalar();                              // alive until the end (see Scalars)

        var logitsAB = a.matmul(b.t()).div(tau);                             // [B, B]
        var logitsAA = a.matmul(a.t()).div(tau).masked_fill(self, MaskedLogit);
        var logitsBA = b.matmul(a.t()).div(tau);
        var logitsBB = b.matmul(b.t()).div(tau).masked_fill(self, MaskedLogit);
        var labels = Scalars.Arange(batch, ScalarType.Int64, viewA.device);  // positive = same row, first block

        Tensor lossA, lossB;
        if (negatives is null)
        {
            lossA = nn.functional.cross_entropy(cat(new[] { logitsAB, logitsAA }, 1), labels); // [B, 2B] → scalar
            lossB = nn.functional.cross_entropy(cat(new[] { logitsBA, logitsBB }, 1), labels);
        }
        else
        {
            var n = L2Normalize.Apply(negatives);                                           // [M, D]
            lossA = nn.functional.cross_entropy(cat(new[] { logitsAB, logitsAA, a.matmul(n.t()).div(tau) }, 1), labels); // [B, 2B + M]
            lossB = nn.functional.cross_entropy(cat(new[] { logitsBA, logitsBB, b.matmul(n.t()).div(tau) }, 1), labels);
        }

        var loss = lossA.add(lossB, Scalars.One);

        Tensor accuracy, entropy;
        using (no_grad())
        {
            accuracy = logitsAB.argmax(1).eq(labels).to_type(viewA.dtype).mean();
            var probabilities = logitsAB.softmax(1);
            entropy = probabilities.mul(probabilities.add(EntropyEpsilon, Scalars.One).log()).sum(1).mean().neg();
        }

        var result = new GlobalContrastiveResult(
            loss.MoveToOuterDisposeScope(),
            lossA.detach().MoveToOuterDisposeScope(),
            lossB.detach().MoveToOuterDisposeScope(),
            accuracy.MoveToOuterDisposeScope(),
            entropy.MoveToOuterDisposeScope());
        return result;
    }
}

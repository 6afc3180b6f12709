using System.Globalization;
using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// Is the encoder learning, or collapsing? Measured on one training batch every logged step (host reads only then).
/// "Projections" are the global head's outputs <c>[2B, D]</c>, L2-normalised as the loss sees them; "embeddings" are the
/// backbone's pooled res5 features <c>[2B, C]</c> (what <c>embed</c>, <c>probe</c> and ML.NET use).
/// </summary>
/// <param name="GlobalLossToChance">Global loss ÷ its chance value <c>2·ln(2B − 1)</c> (all logits equal: a collapsed or
/// guessing encoder). 1 = not learning; well below 1 = the views are being matched.</param>
/// <param name="PositiveTop1">Fraction of view-A clips whose most similar view-B clip is their own positive (chance 1/B).</param>
/// <param name="ProjectionStd">Mean per-dimension standard deviation of the normalised projections, times √D: about 1 for
/// well spread embeddings, 0 for collapse (Chen and He 2021).</param>
/// <param name="ProjectionEffectiveRank">exp(entropy) of the normalised singular values of the centred projections
/// (Garrido et al. 2023, RankMe): 1 = every clip on one line, up to min(2B, D).</param>
/// <param name="Alignment">Mean squared distance between the normalised projections of positive pairs (0 = perfect, Wang and Isola 2020).</param>
/// <param name="Uniformity">log of the mean Gaussian potential <c>exp(−2‖zi − zj‖²)</c> over distinct clips (lower = more uniform; 0 = collapsed).</param>
/// <param name="EmbeddingMeanCosine">Mean pairwise cosine similarity of the backbone embeddings of distinct clips
/// (near 1 = every clip looks the same to a downstream classifier).</param>
/// <param name="EmbeddingEffectiveRank">RankMe of the centred, normalised backbone embeddings.</param>
public sealed record RepresentationDiagnostics(
    double GlobalLossToChance,
    double PositiveTop1,
    double ProjectionStd,
    double ProjectionEffectiveRank,
    double Alignment,
    double Uniformity,
    double EmbeddingMeanCosine,
    double EmbeddingEffectiveRank)
{
    // Scalars that are never finalised (see Ops.Scalars): the norm/probability floor and the −2 of ‖zi − zj‖².
    private static readonly Scalar Floor = 1e-12.ToScalar();
    private static readonly Scalar MinusTwo = (-2).ToScalar();

    /// <summary>The chance value of the official global loss at <paramref name="batchSize"/> videos: <c>2·ln(2B − 1)</c> (both directions summed).</summary>
    /// <param name="batchSize">B ≥ 1.</param>
    public static double GlobalChanceLoss(int batchSize) => GlobalChanceLoss(batchSize, 0);

    /// <summary>
    /// The chance value of the global loss at <paramref name="batchSize"/> videos: <c>2·ln(2B − 1 + M)</c> (both
    /// directions summed; M extra negatives per anchor, e.g. B with time-reversed negatives).
    /// </summary>
    /// <param name="batchSize">B ≥ 1.</param>
    /// <param name="extraNegatives">M ≥ 0 (0: the official loss).</param>
    public static double GlobalChanceLoss(int batchSize, int extraNegatives) => batchSize < 1
        ? throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be >= 1.")
        : extraNegatives < 0
            ? throw new ArgumentOutOfRangeException(nameof(extraNegatives), extraNegatives, "extraNegatives must be >= 0.")
            : 2 * Math.Log(Math.Max(1, 2 * batchSize - 1 + extraNegatives));

    /// <summary>Measures one batch of the official loss (no extra negatives); see the overload.</summary>
    /// <param name="projections">Global head outputs <c>[2B, D]</c>, view A rows first (not necessarily normalised).</param>
    /// <param name="embeddings">Backbone pooled features <c>[2B, C]</c> in the same row order.</param>
    /// <param name="globalLoss">The global loss of the batch (the official sum over both directions).</param>
    /// <exception cref="ArgumentException">A shape is wrong, or a value is NaN or infinite.</exception>
    public static RepresentationDiagnostics Measure(Tensor projections, Tensor embeddings, double globalLoss) => Measure(projections, embeddings, globalLoss, 0);

    /// <summary>
    /// Measures one batch. No gradient is recorded; every tensor made here is disposed.
    /// </summary>
    /// <param name="projections">Global head outputs <c>[2B, D]</c>, view A rows first (not necessarily normalised).</param>
    /// <param name="embeddings">Backbone pooled features <c>[2B, C]</c> in the same row order.</param>
    /// <param name="globalLoss">The global loss of the batch (the official sum over both directions).</param>
    /// <param name="extraNegatives">Extra negatives per anchor in that loss (B with time-reversed negatives; 0).</param>
    /// <exception cref="ArgumentException">A shape is wrong, or a value is NaN or infinite.</exception>
    public static RepresentationDiagnostics Measure(Tensor projections, Tensor embeddings, double globalLoss, int extraNegatives)
    {
        ArgumentNullException.ThrowIfNull(projections);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (projections.dim() != 2 || projections.shape[0] < 2 || projections.shape[0] % 2 != 0)
        {
            throw new ArgumentException($"projections must be [2B, D] with B ≥ 1; got [{string.Join(", ", projections.shape)}].", nameof(projections));
        }

        if (embeddings.dim() != 2 || embeddings.shape[0] != projections.shape[0])
        {
            throw new ArgumentException($"embeddings must be [2B, C] with 2B = {projections.shape[0]}; got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (!projections.isfinite().all().item<bool>() || !embeddings.isfinite().all().item<bool>())
        {
            throw new ArgumentException("projections and embeddings must be finite; a non-finite batch has no diagnostics (skip it).");
        }

        var rows = projections.shape[0];
        var batch = rows / 2;
        var z = Normalize(projections.detach().to(ScalarType.Float64).cpu());                  // [2B, D]
        var a = z.narrow(0, 0, batch);                                                           // [B, D]
        var b = z.narrow(0, batch, batch);
        var top1 = a.matmul(b.t()).argmax(1).eq(Scalars.Arange(batch)).to(ScalarType.Float64).mean().item<double>();
        var std = z.std(0).mean().item<double>() * Math.Sqrt(z.shape[1]);
        var alignment = Scalars.Square(a.sub(b)).sum(1).mean().item<double>();
        var e = Normalize(embeddings.detach().to(ScalarType.Float64).cpu());                     // [2B, C]
        return new RepresentationDiagnostics(
            globalLoss / GlobalChanceLoss((int)batch, extraNegatives),
            top1,
            std,
            EffectiveRank(z),
            alignment,
            UniformityOf(z),
            MeanOffDiagonal(e.matmul(e.t())),
            EffectiveRank(e));
    }

    /// <summary>Whether the embeddings have collapsed: mean pairwise cosine above 0.95 or projection effective rank below 2.</summary>
    public bool LooksCollapsed => EmbeddingMeanCosine > 0.95 || ProjectionEffectiveRank < 2;

    /// <summary>The fields under the tag names used in metrics files and TensorBoard (prefix <c>diagnostics/</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToScalars() =>
    [
        new("diagnostics/global_loss_to_chance", GlobalLossToChance),
        new("diagnostics/positive_top1", PositiveTop1),
        new("diagnostics/projection_std", ProjectionStd),
        new("diagnostics/projection_effective_rank", ProjectionEffectiveRank),
        new("diagnostics/alignment", Alignment),
        new("diagnostics/uniformity", Uniformity),
        new("diagnostics/embedding_mean_cosine", EmbeddingMeanCosine),
        new("diagnostics/embedding_effective_rank", EmbeddingEffectiveRank),
    ];

    /// <summary>A compact one-line form for progress output.</summary>
    public override string ToString() => string.Format(
        CultureInfo.InvariantCulture,
        "loss/chance {0:0.000}, pos top-1 {1:0.00}, proj std {2:0.00}, rank {3:0.0}, emb cos {4:0.00}, emb rank {5:0.0}",
        GlobalLossToChance, PositiveTop1, ProjectionStd, ProjectionEffectiveRank, EmbeddingMeanCosine, EmbeddingEffectiveRank);

    private static Tensor Normalize(Tensor x) => x.div(x.norm(1, keepdim: true).clamp_min(Floor));

    private static double MeanOffDiagonal(Tensor gram)
    {
        var n = gram.shape[0];
        return (gram.sum().item<double>() - gram.diagonal().sum().item<double>()) / (n * (n - 1));
    }

    private static double UniformityOf(Tensor z)
    {
        var n = z.shape[0];
        var squared = z.matmul(z.t()).mul(MinusTwo).add(Scalars.Two, Scalars.One).clamp_min(Scalars.Zero);   // ‖zi − zj‖² = 2 − 2 cos
        var potential = squared.mul(MinusTwo).exp();
        var offDiagonal = (potential.sum().item<double>() - potential.diagonal().sum().item<double>()) / (n * (n - 1));
        return Math.Log(Math.Max(offDiagonal, 1e-300));
    }

    private static double EffectiveRank(Tensor x)
    {
        var centred = x.sub(x.mean([0], keepdim: true));
        var singular = linalg.svdvals(centred);
        var total = singular.sum().item<double>();
        if (!(total > 1e-12))
        {
            return 1;
        }

        using var sum = total.ToScalar();
        var p = singular.div(sum).clamp_min(Floor);
        return Math.Exp(p.mul(p.log()).sum().neg().item<double>());
    }
}

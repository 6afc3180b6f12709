using ConstCl.Modeling;
using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Losses;

/// <summary>
/// The ConST-CL training objective (official <c>tasks/const_cl.py:build_losses</c> without the weight
/// decay term, which the training loop adds): <c>GlobalWeight · NT-Xent(global embeddings) +
/// LocalWeight · InstanceInfoNCE(region predictions)</c>.
/// </summary>
public static class ConstClObjective
{
    /// <summary>Computes the objective for one model output.</summary>
    /// <param name="output">The model output: <c>GlobalEmbeddings</c> <c>[2B, D]</c> with view A in rows 0..B−1, and the
    /// region tensors <c>[B, N, C]</c> with masks <c>[B, N]</c> (the region tensors are not read in global-only mode).</param>
    /// <param name="options">Weights and temperatures; null means the official defaults. Validated here.</param>
    /// <returns>The total loss and both parts; dispose it when done.</returns>
    public static ConstClObjectiveResult Compute(ConstClModelOutput output, ConstClObjectiveOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        options ??= new ConstClObjectiveOptions();
        options.Validate();
        var embeddings = output.GlobalEmbeddings;
        TensorGuard.RequireRank(embeddings, 2, "output.GlobalEmbeddings", "[2B, D]");
        if (embeddings.shape[0] < 2 || embeddings.shape[0] % 2 != 0)
        {
            throw new ArgumentException(
                $"output.GlobalEmbeddings must have an even number (≥ 2) of rows, view A then view B; got {TensorGuard.Describe(embeddings)}.",
                nameof(output));
        }

        long batch = embeddings.shape[0] / 2;
        using var scope = NewDisposeScope();
        Tensor? negatives = null;
        if (options.TimeReversedNegatives)
        {
            negatives = output.ReversedEmbeddings ?? throw new ArgumentException(
                "ConstClObjectiveOptions.TimeReversedNegatives is set but output.ReversedEmbeddings is null: run the model with ConstClModel.Forward(input, timeReversedNegatives: true).",
                nameof(output));
        }

        var global = GlobalContrastiveLoss.Compute(embeddings.narrow(0, 0, batch), embeddings.narrow(0, batch, batch), options.GlobalTemperature, negatives);
        // Explicit weights that outlive their calls (see Scalars).
        using var globalWeight = options.GlobalWeight.ToScalar();
        using var localWeight = options.LocalWeight.ToScalar();
        var total = global.Loss.mul(globalWeight);
        InstanceContrastiveResult? local = null;
        if (!options.IsGlobalOnly)
        {
            if (output.RegionFeaturesA.shape[0] != batch)
            {
                throw new ArgumentException(
                    $"output.RegionFeaturesA must hold B = {batch} videos (half of GlobalEmbeddings' rows); got {TensorGuard.Describe(output.RegionFeaturesA)}.",
                    nameof(output));
            }

            local = InstanceContrastiveLoss.Compute(
                output.PredictionsAToB,
                output.PredictionsBToA,
                output.RegionFeaturesA,
                output.RegionFeaturesB,
                output.RegionMaskA,
                output.RegionMaskB,
                options.LocalTemperature);
            total = total.add(local.Loss.mul(localWeight), Scalars.One);
        }

        // The part results were created in this scope; hand them (and the total) to the caller.
        MoveOut(global);
        if (local is not null)
        {
            MoveOut(local);
        }

        return new ConstClObjectiveResult(total.MoveToOuterDisposeScope(), global, local);
    }

    private static void MoveOut(GlobalContrastiveResult r)
    {
        foreach (var t in new[] { r.Loss, r.LossAnchorsA, r.LossAnchorsB, r.Accuracy, r.Entropy })
        {
            t.MoveToOuterDisposeScope();
        }
    }

    private static void MoveOut(InstanceContrastiveResult r)
    {
        foreach (var t in new[]
                 {
                     r.Loss, r.LossAToB, r.LossBToA, r.PositiveSimilarityMean, r.PositiveSimilarityMin, r.PositiveSimilarityMax,
                     r.NegativeSimilarityMean, r.NegativeSimilarityMin, r.NegativeSimilarityMax, r.IndicesAToB, r.IndicesBToA,
                 })
        {
            t.MoveToOuterDisposeScope();
        }
    }
}

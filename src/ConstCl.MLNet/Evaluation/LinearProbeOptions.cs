using System.Globalization;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// Hyper-parameters of a <see cref="LinearProbe"/>. Defaults are defined here once. ML.NET's L-BFGS minimises
/// <c>(Σᵢ lossᵢ + ½·L2·‖w‖²) / n</c>, so <see cref="L2Regularization"/> = 1 is scikit-learn's <c>C = 1</c>.
/// </summary>
public sealed record LinearProbeOptions
{
    /// <summary>
    /// Standardise every embedding dimension to zero mean and unit variance on the training set before the trainer
    /// (ML.NET <c>NormalizeMeanVariance</c>, <c>fixZero: false</c>; default true). Unit-length embeddings of small
    /// encoders vary by ~1e-2 per dimension, where an unstandardised L2 = 1 probe stays at chance.
    /// </summary>
    public bool Standardize { get; init; } = true;

    /// <summary>Which trainer (default <see cref="ProbeTrainer.Lbfgs"/>).</summary>
    public ProbeTrainer Trainer { get; init; } = ProbeTrainer.Lbfgs;

    /// <summary>
    /// L2 weight; null: the trainer's default here — L-BFGS 1 (per summed loss, as scikit-learn's <c>C = 1</c>), SDCA ML.NET's
    /// data-dependent choice (SDCA's weight multiplies the mean loss, so the two scales differ by n).
    /// </summary>
    public float? L2Regularization { get; init; }

    /// <summary>L1 weight; null: L-BFGS 0 (a probe should use every feature; ML.NET's own L-BFGS default is 1), SDCA ML.NET's choice.</summary>
    public float? L1Regularization { get; init; }

    /// <summary>L-BFGS: stop when the relative improvement falls below this (default 1e-5; ML.NET's default 1e-7 rarely changes top-1 and costs many more passes).</summary>
    public float OptimizationTolerance { get; init; } = 1e-5f;

    /// <summary>Most L-BFGS iterations, or SDCA passes over the data; null: L-BFGS 500, SDCA ML.NET's choice.</summary>
    public int? MaximumNumberOfIterations { get; init; }

    /// <summary>L-BFGS: memory of the quasi-Newton approximation (default 20, ML.NET's).</summary>
    public int HistorySize { get; init; } = 20;

    /// <summary>SDCA: duality-gap tolerance (default 0.1, ML.NET's).</summary>
    public float ConvergenceTolerance { get; init; } = 0.1f;

    /// <summary>Trainer threads (null: ML.NET's choice, all cores). SDCA with more than one thread is not deterministic.</summary>
    public int? NumberOfThreads { get; init; }

    /// <summary>Seed of the <c>MLContext</c> (SDCA's shuffling; L-BFGS is deterministic for a fixed thread count).</summary>
    public int Seed { get; init; }

    /// <summary>The L2 weight L-BFGS uses (<see cref="L2Regularization"/> or 1).</summary>
    internal float LbfgsL2 => L2Regularization ?? 1f;

    /// <summary>The L1 weight L-BFGS uses (<see cref="L1Regularization"/> or 0).</summary>
    internal float LbfgsL1 => L1Regularization ?? 0f;

    /// <summary>The iteration limit L-BFGS uses (<see cref="MaximumNumberOfIterations"/> or 500).</summary>
    internal int LbfgsIterations => MaximumNumberOfIterations ?? 500;

    /// <summary>The ML.NET trainer name, e.g. <c>LbfgsMaximumEntropy</c>.</summary>
    public string TrainerName => Trainer == ProbeTrainer.Lbfgs ? "LbfgsMaximumEntropy" : "SdcaMaximumEntropy";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option; returns these options.</summary>
    public LinearProbeOptions Validate()
    {
        if (!Enum.IsDefined(Trainer))
        {
            throw new ArgumentException($"{nameof(Trainer)} {Trainer} is not a known trainer (Lbfgs or Sdca).", nameof(Trainer));
        }

        if (L2Regularization is < 0 || L1Regularization is < 0 || L2Regularization is float.NaN || L1Regularization is float.NaN)
        {
            throw new ArgumentException($"Regularisation weights must be ≥ 0; got L2 {L2Regularization}, L1 {L1Regularization}.", nameof(L2Regularization));
        }

        if (!(OptimizationTolerance > 0) || !(ConvergenceTolerance > 0))
        {
            throw new ArgumentException($"Tolerances must be > 0; got {nameof(OptimizationTolerance)} {OptimizationTolerance}, {nameof(ConvergenceTolerance)} {ConvergenceTolerance}.", nameof(OptimizationTolerance));
        }

        if (MaximumNumberOfIterations is < 1)
        {
            throw new ArgumentException($"{nameof(MaximumNumberOfIterations)} must be at least 1; got {MaximumNumberOfIterations}.", nameof(MaximumNumberOfIterations));
        }

        if (HistorySize < 1)
        {
            throw new ArgumentException($"{nameof(HistorySize)} must be at least 1; got {HistorySize}.", nameof(HistorySize));
        }

        if (NumberOfThreads is < 1)
        {
            throw new ArgumentException($"{nameof(NumberOfThreads)} must be at least 1 when set; got {NumberOfThreads}.", nameof(NumberOfThreads));
        }

        return this;
    }

    /// <summary>The settings the chosen trainer uses, as printable name/value pairs (what a protocol card records).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Describe()
    {
        var c = CultureInfo.InvariantCulture;
        string Opt(float? v) => v is float f ? f.ToString("R", c) : "auto";
        var list = new List<KeyValuePair<string, string>> { new("trainer", TrainerName), new("standardize", Standardize ? "true" : "false") };
        if (Trainer == ProbeTrainer.Lbfgs)
        {
            list.Add(new("l2Regularization", Opt(LbfgsL2)));
            list.Add(new("l1Regularization", Opt(LbfgsL1)));
            list.Add(new("optimizationTolerance", OptimizationTolerance.ToString("R", c)));
            list.Add(new("maximumNumberOfIterations", LbfgsIterations.ToString(c)));
            list.Add(new("historySize", HistorySize.ToString(c)));
        }
        else
        {
            list.Add(new("l2Regularization", Opt(L2Regularization)));
            list.Add(new("l1Regularization", Opt(L1Regularization)));
            list.Add(new("convergenceTolerance", ConvergenceTolerance.ToString("R", c)));
            list.Add(new("maximumNumberOfIterations", MaximumNumberOfIterations?.ToString(c) ?? "auto"));
        }

        list.Add(new("numberOfThreads", NumberOfThreads?.ToString(c) ?? "auto"));
        list.Add(new("seed", Seed.ToString(c)));
        return list;
    }
}

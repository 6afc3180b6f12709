namespace ConstCl.Losses;

/// <summary>
/// Weights and temperatures of the ConST-CL objective
/// <c>total = GlobalWeight · L_global + LocalWeight · L_local</c> (weight decay is added by the training loop,
/// not here). Defaults are the official code's (<c>configs/const_cl.py:ConstCLLosses</c>).
/// </summary>
public sealed record ConstClObjectiveOptions
{
    /// <summary>The paper's local weight ω = 0.01 (the official code uses <see cref="LocalWeightOfficial"/>, 10× smaller).</summary>
    public const double LocalWeightPaper = 0.01;

    /// <summary>The official code's default local weight, 0.001 (never overridden by its yaml files).</summary>
    public const double LocalWeightOfficial = 0.001;

    /// <summary>Weight of the global NT-Xent loss (official 1.0); ≥ 0 and finite.</summary>
    public double GlobalWeight { get; init; } = 1.0;

    /// <summary>Weight of the local region loss (official 0.001, paper 0.01); ≥ 0 and finite. 0 selects the
    /// global-only (CVRL) objective, which skips the local computation entirely.</summary>
    public double LocalWeight { get; init; } = LocalWeightOfficial;

    /// <summary>Temperature of the global loss (official 0.1); &gt; 0.</summary>
    public double GlobalTemperature { get; init; } = 0.1;

    /// <summary>Temperature of the local loss (official 0.2); &gt; 0.</summary>
    public double LocalTemperature { get; init; } = 0.2;

    /// <summary>
    /// Time-reversed negatives (a departure: neither the paper nor the official code has them; default false). Each
    /// view-B clip is also run backwards through the network in the same forward pass (the backbone sees 3B clips
    /// instead of 2B), and its global embedding is an extra negative for every anchor of the global loss, so each
    /// anchor's softmax runs over <c>3B − 1</c> candidates. A clip and its reversal share every static cue (background,
    /// object appearance, a codec's noise pattern) and differ only in the direction of motion, so the loss can no longer
    /// fall by pairing views through a static cue alone. See docs/training.md ("Time-reversed negatives").
    /// </summary>
    public bool TimeReversedNegatives { get; init; }

    /// <summary>True when the local loss is not part of the objective (CVRL).</summary>
    public bool IsGlobalOnly => LocalWeight == 0.0;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        RequireWeight(GlobalWeight, nameof(GlobalWeight));
        RequireWeight(LocalWeight, nameof(LocalWeight));
        RequireTemperature(GlobalTemperature, nameof(GlobalTemperature));
        RequireTemperature(LocalTemperature, nameof(LocalTemperature));
        if (GlobalWeight == 0.0 && LocalWeight == 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(GlobalWeight), GlobalWeight,
                "GlobalWeight and LocalWeight cannot both be 0: the objective would be constant.");
        }
    }

    private static void RequireWeight(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0.");
        }
    }

    private static void RequireTemperature(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
        }
    }
}

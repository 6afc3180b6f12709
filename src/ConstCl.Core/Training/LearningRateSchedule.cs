namespace ConstCl.Training;

/// <summary>
/// The learning rate as a pure function of the global step (spec §4.2, Model Garden <c>LinearWarmup</c> over Keras
/// <c>CosineDecay</c> with alpha 0): <c>lr(s) = s / W · c(W)</c> for <c>s &lt; W</c>, otherwise <c>c(s)</c>, where
/// <c>c(s) = peak · ½ · (1 + cos(π · min(s, D) / D))</c>. The cosine runs on the global step; it is not offset by
/// the warm-up, so the warm-up ends at <c>c(W)</c>, slightly below the peak.
/// </summary>
public sealed class LearningRateSchedule
{
    /// <summary>Creates a schedule.</summary>
    /// <param name="peakLearningRate">The cosine's initial value (after any batch-size scaling).</param>
    /// <param name="warmupSteps">Linear warm-up length W (0 disables the warm-up).</param>
    /// <param name="decaySteps">Cosine length D: the rate is 0 from step D on.</param>
    public LearningRateSchedule(double peakLearningRate, int warmupSteps, int decaySteps)
    {
        if (!double.IsFinite(peakLearningRate) || peakLearningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "peakLearningRate must be a finite number >= 0.");
        }

        if (decaySteps <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, "decaySteps must be positive.");
        }

        if (warmupSteps < 0 || warmupSteps > decaySteps)
        {
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"warmupSteps must be between 0 and decaySteps ({decaySteps}).");
        }

        PeakLearningRate = peakLearningRate;
        WarmupSteps = warmupSteps;
        DecaySteps = decaySteps;
    }

    /// <summary>The cosine's initial value.</summary>
    public double PeakLearningRate { get; }

    /// <summary>Warm-up length W in steps.</summary>
    public int WarmupSteps { get; }

    /// <summary>Cosine length D in steps.</summary>
    public int DecaySteps { get; }

    /// <summary>The schedule of validated options: peak <see cref="PretrainingOptions.PeakLearningRate"/>, D = Steps.</summary>
    /// <param name="options">Validated options.</param>
    public static LearningRateSchedule From(PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LearningRateSchedule(options.PeakLearningRate, options.WarmupSteps, options.Steps);
    }

    /// <summary>The learning rate used by the update made at global step <paramref name="step"/> (0-based).</summary>
    /// <param name="step">Global step, &gt;= 0.</param>
    public double At(long step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "step must be >= 0.");
        }

        return step < WarmupSteps ? (double)step / WarmupSteps * Cosine(WarmupSteps) : Cosine(step);
    }

    private double Cosine(long step)
    {
        var progress = (double)Math.Min(step, DecaySteps) / DecaySteps;
        return PeakLearningRate * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }
}

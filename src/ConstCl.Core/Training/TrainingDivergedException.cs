namespace ConstCl.Training;

/// <summary>
/// Thrown when too many consecutive steps had a non-finite loss or gradient. The model and optimiser still hold the
/// last good state (skipped steps change nothing), so the caller can checkpoint it before stopping.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">The step of the last non-finite value.</param>
    /// <param name="consecutive">How many steps in a row were non-finite.</param>
    /// <param name="lastGoodStep">The last step whose update was applied, or -1 if none.</param>
    public TrainingDivergedException(long step, int consecutive, long lastGoodStep)
        : base($"Training diverged: {consecutive} consecutive steps (the last at step {step}) had a non-finite loss or gradient; " +
               $"the last applied update was at step {(lastGoodStep < 0 ? "none" : lastGoodStep.ToString(System.Globalization.CultureInfo.InvariantCulture))}. " +
               "Lower the learning rate, enable GradientClipNorm, or check the input data.")
    {
        Step = step;
        Consecutive = consecutive;
        LastGoodStep = lastGoodStep;
    }

    /// <summary>The step of the last non-finite value.</summary>
    public long Step { get; }

    /// <summary>How many steps in a row were non-finite.</summary>
    public int Consecutive { get; }

    /// <summary>The last step whose update was applied, or -1 if none.</summary>
    public long LastGoodStep { get; }

    /// <summary>The checkpoint of the last good state that <see cref="Pretrainer"/> wrote before stopping, or null.</summary>
    public string? CheckpointPath { get; internal set; }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace ConstCl.Training;

/// <summary>
/// Thrown by <see cref="Pretrainer.Run"/> when libtorch raised an error inside a training step (an
/// <see cref="ExternalException"/>, the <see cref="Exception.InnerException"/>). The message names the step and the
/// checkpoint to resume from. Derives from <see cref="InvalidOperationException"/>, which the CLI reports as a one-line error.
/// </summary>
public sealed class TrainingStepFailedException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">The step that failed (0-based: the update it would have applied).</param>
    /// <param name="checkpointPath">The checkpoint of the last consistent state, or null when there is none.</param>
    /// <param name="checkpointStep">The step <paramref name="checkpointPath"/> holds (ignored without a checkpoint).</param>
    /// <param name="written">True when the checkpoint was written because of this failure; false when it is an older one.</param>
    /// <param name="inner">The libtorch error.</param>
    public TrainingStepFailedException(long step, string? checkpointPath, long checkpointStep, bool written, ExternalException inner)
        : base(Describe(step, checkpointPath, checkpointStep, written, inner), inner)
    {
        Step = step;
        CheckpointPath = checkpointPath;
        CheckpointStep = checkpointStep;
    }

    /// <summary>The step that failed.</summary>
    public long Step { get; }

    /// <summary>The checkpoint of the last consistent state (resume from it), or null when none exists.</summary>
    public string? CheckpointPath { get; }

    /// <summary>The step <see cref="CheckpointPath"/> holds.</summary>
    public long CheckpointStep { get; }

    private static string Describe(long step, string? path, long checkpointStep, bool written, ExternalException inner)
    {
        // libtorch appends a native stack trace after the first line; the inner exception keeps it.
        var cause = (inner.Message ?? "").Split('\n', 2)[0].Trim().TrimEnd('.');
        var at = checkpointStep.ToString(CultureInfo.InvariantCulture);
        var where = (path, written) switch
        {
            (null, _) => "No checkpoint exists yet: start the run again.",
            (_, true) => $"The last consistent state (step {at}) was saved to '{path}'; resume the run (Resume = true, CLI --resume) to continue from it.",
            _ => $"The weights were being updated, so the state in memory is inconsistent and was not saved; resume from the last checkpoint, '{path}' (step {at}).",
        };
        return $"Training step {step.ToString(CultureInfo.InvariantCulture)} failed inside libtorch: {cause}. {where}";
    }
}

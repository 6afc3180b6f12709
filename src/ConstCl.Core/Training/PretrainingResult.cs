using ConstCl.Checkpoints;

namespace ConstCl.Training;

/// <summary>What a <see cref="Pretrainer.Run"/> call did and where it wrote its files.</summary>
/// <param name="Step">Steps completed when the run returned (equals <see cref="TotalSteps"/> unless cancelled).</param>
/// <param name="TotalSteps">Steps of the whole run (<see cref="PretrainingOptions.Steps"/>).</param>
/// <param name="Cancelled">True when the cancellation token stopped the run (a checkpoint was written first).</param>
/// <param name="LastProgress">The last logged progress (losses, learning rate, throughput), or null if nothing was logged.</param>
/// <param name="ResumedFromStep">The checkpoint step this run resumed from, or null for a fresh run.</param>
/// <param name="SkippedCheckpoints">Newer checkpoint files that failed verification and were passed over on resume.</param>
/// <param name="OptionsDifferences">Differences to the checkpoint's options that were allowed by the override flag.</param>
/// <param name="SkippedSteps">Steps skipped because of a non-finite loss or gradient (this run and the runs it resumed).</param>
/// <param name="EncoderPath">The encoder file (<c>encoder.constcl</c>) written at the end, or null when cancelled.</param>
/// <param name="CheckpointPath">The last checkpoint written.</param>
/// <param name="MetricsPath">The metrics JSON-lines file.</param>
/// <param name="TensorBoardDirectory">The TensorBoard event directory.</param>
public sealed record PretrainingResult(
    int Step,
    int TotalSteps,
    bool Cancelled,
    PretrainingProgress? LastProgress,
    int? ResumedFromStep,
    IReadOnlyList<CheckpointProblem> SkippedCheckpoints,
    IReadOnlyList<OptionsDifference> OptionsDifferences,
    long SkippedSteps,
    string? EncoderPath,
    string? CheckpointPath,
    string MetricsPath,
    string TensorBoardDirectory)
{
    /// <summary>Health warnings raised during the run (loss stuck at chance, collapsed embeddings); empty when none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

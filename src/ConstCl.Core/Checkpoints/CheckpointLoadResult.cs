namespace ConstCl.Checkpoints;

/// <summary>The outcome of <see cref="CheckpointStore.LoadLatest"/>: the newest valid checkpoint and the newer files that were skipped.</summary>
/// <param name="Checkpoint">The newest valid checkpoint, or null when there is none (the caller disposes it).</param>
/// <param name="Skipped">Newer files that failed verification, newest first.</param>
public sealed record CheckpointLoadResult(Checkpoint? Checkpoint, IReadOnlyList<CheckpointProblem> Skipped);

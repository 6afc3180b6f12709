using ConstCl.Checkpoints;

namespace ConstCl.Training;

/// <summary>The outcome of <see cref="CheckpointStore.LoadLatest(TorchSharp.torch.nn.Module?, ConstClOptimizer?, DeterministicRandom?)"/>: the newest usable checkpoint and the newer files that were skipped.</summary>
/// <param name="Checkpoint">The newest usable checkpoint, or null when there is none (the caller disposes it).</param>
/// <param name="Skipped">Newer files that failed verification or did not fit what they were to be restored into, newest first.</param>
public sealed record CheckpointLoadResult(Checkpoint? Checkpoint, IReadOnlyList<CheckpointProblem> Skipped);

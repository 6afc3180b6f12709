namespace ConstCl.Checkpoints;

/// <summary>A checkpoint file that was skipped while looking for the newest valid one, and why.</summary>
/// <param name="Path">The skipped file.</param>
/// <param name="Reason">Why it was skipped (truncated, hash mismatch, malformed tensor, does not fit the model, …).</param>
public sealed record CheckpointProblem(string Path, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Reason}";
}

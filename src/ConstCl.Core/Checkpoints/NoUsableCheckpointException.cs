namespace ConstCl.Checkpoints;

/// <summary>
/// Resume was refused because the checkpoint directory holds checkpoints but none of them can be resumed (each is
/// corrupt, incomplete or does not fit the model, optimiser or generators of the run). Starting over from step 0 instead
/// is an explicit choice (<c>Pretrainer.StartOver</c>, CLI <c>--start-over</c>), never a silent fallback.
/// </summary>
public sealed class NoUsableCheckpointException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="directory">The checkpoint directory.</param>
    /// <param name="problems">Every checkpoint file found and why it cannot be resumed, newest first.</param>
    public NoUsableCheckpointException(string directory, IReadOnlyList<CheckpointProblem> problems)
        : base($"Refusing to resume: none of the {problems.Count} checkpoint(s) in '{directory}' can be used:" + Environment.NewLine +
               string.Join(Environment.NewLine, problems.Select(p => "  " + p)) + Environment.NewLine +
               "Restore a good checkpoint into that directory, or start over from step 0 explicitly (StartOver / --start-over: " +
               "the unusable files are renamed *.unusable and the old metrics are moved aside).")
    {
        Directory = directory;
        Problems = problems;
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>Every checkpoint file found and why it cannot be resumed, newest first.</summary>
    public IReadOnlyList<CheckpointProblem> Problems { get; }
}

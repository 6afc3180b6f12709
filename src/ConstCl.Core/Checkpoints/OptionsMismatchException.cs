namespace ConstCl.Checkpoints;

/// <summary>Resume was refused because the checkpoint was written with different options.</summary>
public sealed class OptionsMismatchException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="checkpointPath">The checkpoint that would have been resumed.</param>
    /// <param name="differences">The differing fields.</param>
    public OptionsMismatchException(string checkpointPath, IReadOnlyList<OptionsDifference> differences)
        : base($"Refusing to resume from '{checkpointPath}': it was written with different options (saved → current):" + Environment.NewLine +
               string.Join(Environment.NewLine, differences.Select(d => "  " + d)) + Environment.NewLine +
               "Resume with the same options, or allow the change explicitly (Pretrainer.AllowDifferentOptions; constcl pretrain --override-options).")
    {
        CheckpointPath = checkpointPath;
        Differences = differences;
    }

    /// <summary>The checkpoint that would have been resumed.</summary>
    public string CheckpointPath { get; }

    /// <summary>The differing fields.</summary>
    public IReadOnlyList<OptionsDifference> Differences { get; }
}

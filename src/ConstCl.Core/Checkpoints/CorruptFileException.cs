namespace ConstCl.Checkpoints;

/// <summary>
/// A checkpoint or encoder file failed verification: wrong magic or format version, truncated, or a section whose
/// SHA-256 does not match its contents.
/// </summary>
public sealed class CorruptFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The file (or a description of the stream).</param>
    /// <param name="reason">What failed, for example "section 'model': SHA-256 mismatch".</param>
    /// <param name="inner">The underlying error, if any.</param>
    public CorruptFileException(string path, string reason, Exception? inner = null)
        : base($"'{path}' is corrupt or incomplete: {reason}.", inner)
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The file that failed verification.</summary>
    public string FilePath { get; }

    /// <summary>What failed.</summary>
    public string Reason { get; }
}

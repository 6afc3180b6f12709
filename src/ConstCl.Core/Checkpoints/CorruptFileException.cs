namespace ConstCl.Checkpoints;

/// <summary>
/// A checkpoint or encoder file failed verification: wrong magic or format version, truncated, a section whose
/// SHA-256 does not match its contents, or well-framed contents that cannot be right (a tensor header with an unknown
/// dtype, a negative or oversized shape, a byte count that disagrees with it, NaN or ±Infinity in a weight, implausible
/// metadata). <see cref="Reason"/> names the section and the tensor. <see cref="ConstCl.Training.CheckpointStore"/> also reports a
/// checkpoint that does not fit the model it is to be restored into this way, and passes it over.
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

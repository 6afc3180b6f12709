namespace ConstCl.Embedding;

/// <summary>A video could not be embedded; <see cref="Path"/> names it.</summary>
public sealed class VideoEmbeddingException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The video.</param>
    /// <param name="reason">Why it failed.</param>
    /// <param name="inner">The underlying error.</param>
    public VideoEmbeddingException(string path, string reason, Exception? inner = null)
        : base($"Video '{path}' could not be embedded: {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>The video.</summary>
    public string Path { get; }

    /// <summary>Why it failed.</summary>
    public string Reason { get; }
}

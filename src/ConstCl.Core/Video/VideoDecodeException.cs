namespace ConstCl.Video;

/// <summary>A video (file or frame folder) could not be opened or decoded. The message names the path and the reason.</summary>
public sealed class VideoDecodeException : Exception
{
    /// <summary>Creates the exception; the message is <c>"&lt;kind&gt;: &lt;path&gt;: &lt;reason&gt;"</c>.</summary>
    /// <param name="kind">Why decoding failed.</param>
    /// <param name="path">The video path.</param>
    /// <param name="reason">A human-readable explanation (what was expected, what was found).</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public VideoDecodeException(VideoErrorKind kind, string path, string reason, Exception? inner = null)
        : base($"{kind}: {path}: {reason}", inner)
    {
        Kind = kind;
        Path = path;
        Reason = reason;
    }

    /// <summary>Why decoding failed.</summary>
    public VideoErrorKind Kind { get; }

    /// <summary>The video path as given.</summary>
    public string Path { get; }

    /// <summary>The explanation without the kind and path prefix.</summary>
    public string Reason { get; }
}

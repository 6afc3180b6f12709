namespace ConstCl.Embedding;

/// <summary>The embedding of one video, or why there is none.</summary>
/// <param name="Path">The video.</param>
/// <param name="Vector">The L2-normalised embedding <c>[D]</c>, or null when the video failed.</param>
/// <param name="ClipFrameIndices">Source frame indices of every clip <c>[K][T]</c>, or null when the video failed.</param>
/// <param name="Error">Why the video failed, or null.</param>
public sealed record VideoEmbedding(string Path, float[]? Vector, int[][]? ClipFrameIndices, string? Error)
{
    /// <summary>True when <see cref="Vector"/> holds an embedding.</summary>
    public bool IsValid => Vector is not null;

    /// <summary>
    /// The exception behind <see cref="Error"/>, or null (valid, or no exception recorded): lets a caller rethrow what is
    /// not a bad video (a <see cref="Video.VideoDecodeException"/> or <see cref="IOException"/> is one; running out of
    /// memory is not).
    /// </summary>
    public Exception? Exception { get; init; }
}

namespace ConstCl.Embedding;

/// <summary>What <see cref="VideoEmbedder"/> does when a video cannot be decoded or embedded.</summary>
public enum EmbeddingFailurePolicy
{
    /// <summary>Throw a <see cref="VideoEmbeddingException"/> naming the video (default).</summary>
    Throw,

    /// <summary>Return a <see cref="VideoEmbedding"/> with no vector and the reason, and go on (long jobs survive bad files).</summary>
    Mark,
}

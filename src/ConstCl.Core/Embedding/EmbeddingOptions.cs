using ConstCl.Video;

namespace ConstCl.Embedding;

/// <summary>Options of <see cref="VideoEmbedder"/>. Defaults are defined here once.</summary>
public sealed record EmbeddingOptions
{
    /// <summary>The evaluation views per video; null: <see cref="EvaluationClipSpec.ForModel"/> of the encoder's model options (10 clips × 3 crops at its pre-training clip size).</summary>
    public EvaluationClipSpec? Clips { get; init; }

    /// <summary>Most clips (views) in one forward pass; the views of several videos share a batch (default 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Videos decoded ahead on the prefetch thread (default 4; 0 decodes on the calling thread).</summary>
    public int PrefetchVideos { get; init; } = 4;

    /// <summary>What a video that fails does (default <see cref="EmbeddingFailurePolicy.Throw"/>).</summary>
    public EmbeddingFailurePolicy OnFailure { get; init; } = EmbeddingFailurePolicy.Throw;

    /// <summary>Decode options (null: defaults, native size; the resize to the crop size is done by <see cref="EvaluationClips"/>).</summary>
    public VideoDecodeOptions? Decode { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option; returns these options.</summary>
    public EmbeddingOptions Validate()
    {
        Clips?.Validate();
        if (BatchSize < 1)
        {
            throw new ArgumentException($"{nameof(BatchSize)} must be at least 1; got {BatchSize}.", nameof(BatchSize));
        }

        if (PrefetchVideos < 0)
        {
            throw new ArgumentException($"{nameof(PrefetchVideos)} must be non-negative; got {PrefetchVideos}.", nameof(PrefetchVideos));
        }

        if (!Enum.IsDefined(OnFailure))
        {
            throw new ArgumentException($"{nameof(OnFailure)} {OnFailure} is not a known policy.", nameof(OnFailure));
        }

        Decode?.Validate();
        return this;
    }
}

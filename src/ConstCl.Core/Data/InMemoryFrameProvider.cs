using ConstCl.Datasets;
using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// Videos already in memory (rendered <see cref="SyntheticActions"/> videos, or any list of frame sequences): the quick
/// start and tests run the whole loader without files. Thread-safe (read-only).
/// </summary>
public sealed class InMemoryFrameProvider : IVideoFrameProvider
{
    private readonly IReadOnlyList<string> _keys;
    private readonly IReadOnlyList<FrameSequence> _videos;

    /// <summary>Wraps videos and their names.</summary>
    /// <param name="keys">One unique name per video.</param>
    /// <param name="videos">The videos, each with at least one frame.</param>
    public InMemoryFrameProvider(IReadOnlyList<string> keys, IReadOnlyList<FrameSequence> videos)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(videos);
        if (keys.Count != videos.Count)
        {
            throw new ArgumentException($"keys has {keys.Count} names; expected one per video ({videos.Count}).", nameof(keys));
        }

        if (videos.Count == 0)
        {
            throw new ArgumentException("At least one video is required.", nameof(videos));
        }

        for (int i = 0; i < videos.Count; i++)
        {
            if (videos[i] is null || videos[i].Count == 0)
            {
                throw new ArgumentException($"Video {i} ('{keys[i]}') has no frames.", nameof(videos));
            }
        }

        _keys = keys;
        _videos = videos;
    }

    /// <summary>Renders a synthetic dataset in memory: keys are <c>synthetic/&lt;class&gt;/&lt;index&gt;</c>.</summary>
    /// <param name="generator">The synthetic action generator.</param>
    /// <param name="subset">Which split to render; null renders both.</param>
    public static InMemoryFrameProvider FromSynthetic(SyntheticActions generator, DatasetSubset? subset = DatasetSubset.Train)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var keys = new List<string>();
        var videos = new List<FrameSequence>();
        foreach (SyntheticVideo v in generator.Generate(subset))
        {
            keys.Add($"synthetic/{v.Label}/{v.VideoIndex}");
            videos.Add(v.Frames);
        }

        return new InMemoryFrameProvider(keys, videos);
    }

    /// <inheritdoc/>
    public int Count => _videos.Count;

    /// <inheritdoc/>
    public string KeyOf(int index) => _keys[Check(index)];

    /// <inheritdoc/>
    public int CountFrames(int index) => _videos[Check(index)].Count;

    /// <inheritdoc/>
    public FrameSequence ReadFrames(int index, IReadOnlyList<int> frameIndices)
    {
        ArgumentNullException.ThrowIfNull(frameIndices);
        FrameSequence video = _videos[Check(index)];
        var frames = new byte[frameIndices.Count][];
        var read = new int[frameIndices.Count];
        for (int i = 0; i < frames.Length; i++)
        {
            if (frameIndices[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(frameIndices), frameIndices[i], "Frame indices must be ≥ 0.");
            }

            read[i] = frameIndices[i] % video.Count;
            frames[i] = video.Frames[read[i]];
        }

        return new FrameSequence(frames, video.Width, video.Height, read, video.FramesPerSecond);
    }

    private int Check(int index) =>
        (uint)index < (uint)_videos.Count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"Video index must be in 0..{_videos.Count - 1}.");
}

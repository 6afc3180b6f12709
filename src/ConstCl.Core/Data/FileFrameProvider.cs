using ConstCl.Datasets;
using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// Videos read from files with the in-process decoder. Each call opens the video, decodes only the frames it needs
/// (resized to the decode short side) and closes it, so any number of worker threads may call at once. With a
/// decoded-frame cache the first use of a video decodes it completely into the cache and every later read copies
/// frames from the memory-mapped cache file.
/// </summary>
public sealed class FileFrameProvider : IVideoFrameProvider
{
    private readonly IReadOnlyList<string> _paths;
    private readonly VideoDecodeOptions _options;
    private readonly FrameCache? _cache;

    /// <summary>Reads the videos at <paramref name="paths"/>.</summary>
    /// <param name="paths">Video files (or frame folders), one per video.</param>
    /// <param name="options">Decode options; null means native size, 30 s time limit.</param>
    /// <param name="cacheDirectory">Folder of the decoded-frame cache; null disables it.</param>
    public FileFrameProvider(IReadOnlyList<string> paths, VideoDecodeOptions? options = null, string? cacheDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            throw new ArgumentException("At least one video path is required.", nameof(paths));
        }

        for (int i = 0; i < paths.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(paths[i]))
            {
                throw new ArgumentException($"Path {i} is empty.", nameof(paths));
            }
        }

        _paths = paths;
        _options = (options ?? VideoDecodeOptions.Default).Validate();
        _cache = cacheDirectory is null ? null : new FrameCache(cacheDirectory);
    }

    /// <summary>Reads the videos of a dataset with the loader's decode options and cache.</summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="options">Loader options (decode short side, time limit, cache folder).</param>
    public static FileFrameProvider FromDataset(VideoDataset dataset, LoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new FileFrameProvider(dataset.Entries.Select(e => e.Path).ToArray(), options.DecodeOptions, options.CacheDirectory);
    }

    /// <inheritdoc/>
    public int Count => _paths.Count;

    /// <summary>The decoded-frame cache, when enabled.</summary>
    internal FrameCache? Cache => _cache;

    /// <inheritdoc/>
    public string KeyOf(int index) => _paths[Check(index)];

    /// <inheritdoc/>
    public int CountFrames(int index)
    {
        string path = _paths[Check(index)];
        if (_cache is not null)
        {
            return _cache.Describe(path, _options).FrameCount;
        }

        using IVideoSource source = VideoReader.Open(path, _options);
        return source.CountFrames();
    }

    /// <inheritdoc/>
    public FrameSequence ReadFrames(int index, IReadOnlyList<int> frameIndices)
    {
        ArgumentNullException.ThrowIfNull(frameIndices);
        string path = _paths[Check(index)];
        if (_cache is not null)
        {
            return _cache.ReadFrames(path, _options, frameIndices);
        }

        return VideoReader.ReadClip(path, frameIndices, _options);
    }

    private int Check(int index) =>
        (uint)index < (uint)_paths.Count ? index : throw new ArgumentOutOfRangeException(nameof(index), index, $"Video index must be in 0..{_paths.Count - 1}.");
}

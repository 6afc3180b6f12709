namespace ConstCl.Video;

/// <summary>
/// Entry point for in-process decoding (the system FFmpeg or OpenCV's bundled FFmpeg, see
/// <see cref="VideoDecodeOptions.Decoder"/>): AVI (XviD/MPEG-4 Part 2, MJPEG, MS-MPEG4),
/// MP4/MOV (H.264, MPEG-4), WebM/Matroska (VP8, VP9), MPEG-1/2 program streams, and frame folders (JPEG/PNG/BMP).
/// Every call runs under <see cref="VideoDecodeOptions.TimeLimit"/>; every failure is a <see cref="VideoDecodeException"/>.
/// Thread-safe: the static methods may be called from many threads; each returned source belongs to one thread.
/// </summary>
public static class VideoReader
{
    /// <summary>File extensions treated as video files when scanning folders (lower case, with the dot).</summary>
    public static IReadOnlySet<string> VideoExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ".avi", ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".mpg", ".mpeg", ".m1v", ".mpv", ".ts", ".flv", ".ogv", ".wmv", ".asf", ".3gp",
    };

    /// <summary>
    /// Opens a video file or frame folder and checks that its first frame decodes.
    /// </summary>
    /// <param name="path">A video file, or a folder of frame images.</param>
    /// <param name="options">Decode options (null: <see cref="VideoDecodeOptions.Default"/>).</param>
    /// <returns>A source to be used by one thread at a time and disposed.</returns>
    /// <exception cref="VideoDecodeException">The video is missing, empty, not a video, truncated, of an unsupported codec, or took too long.</exception>
    public static IVideoSource Open(string path, VideoDecodeOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options = (options ?? VideoDecodeOptions.Default).Validate();
        var o = options;
        IVideoSource inner = TimeLimitedVideoSource.RunWithLimit<IVideoSource>(
            () => Directory.Exists(path) ? FrameFolderSource.Open(path, o) : VideoDecoderSelector.OpenFile(path, o),
            options.TimeLimit,
            path,
            "opening",
            t =>
            {
                if (t.Status == TaskStatus.RanToCompletion)
                {
                    t.Result.Dispose();
                }
            });
        return Wrap(inner, options);
    }

    /// <summary>Reads the header information of a video (opens it, decodes its first frames as a check, closes it).</summary>
    public static VideoInfo Probe(string path, VideoDecodeOptions? options = null)
    {
        using var source = Open(path, options);
        return source.Info;
    }

    /// <summary>Decodes a whole video once: decodable frames, duration, frame-interval statistics (cached per file).</summary>
    public static VideoScan Scan(string path, VideoDecodeOptions? options = null)
    {
        using var source = Open(path, options);
        return source.Scan();
    }

    /// <summary>Decodes the frames at <paramref name="frameIndices"/> of one video (see <see cref="IVideoSource.ReadFrames"/>).</summary>
    /// <returns>RGB24 frames <c>[H, W, 3]</c>, short side = <see cref="VideoDecodeOptions.ShortSide"/>.</returns>
    public static FrameSequence ReadClip(string path, IReadOnlyList<int> frameIndices, VideoDecodeOptions? options = null)
    {
        using var source = Open(path, options);
        return source.ReadFrames(frameIndices);
    }

    /// <summary>Decodes <paramref name="count"/> frames <c>start + stride·k</c> (k = 0..count-1); indices past the end follow the end policy.</summary>
    public static FrameSequence ReadClip(string path, int start, int count, int stride, VideoDecodeOptions? options = null)
        => ReadClip(path, StridedIndices(start, count, stride), options);

    /// <summary>The frame indices <c>start + stride·k</c> for k = 0..count-1.</summary>
    public static int[] StridedIndices(int start, int count, int stride)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        var indices = new int[count];
        for (int k = 0; k < count; k++)
        {
            indices[k] = checked(start + (stride * k));
        }

        return indices;
    }

    /// <summary>Wraps an already-open source with the time limit (tests inject slow sources through this).</summary>
    internal static IVideoSource Wrap(IVideoSource inner, VideoDecodeOptions options)
        => options.TimeLimit == Timeout.InfiniteTimeSpan ? inner : new TimeLimitedVideoSource(inner, options.TimeLimit);
}

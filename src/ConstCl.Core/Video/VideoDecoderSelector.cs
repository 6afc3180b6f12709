using ConstCl.Video.Ffmpeg;

namespace ConstCl.Video;

/// <summary>
/// Turns <see cref="VideoDecodeOptions.Decoder"/> into the back-end that opens a video file. <see cref="VideoDecoderBackend.Auto"/>
/// first honours the environment variable <c>CONSTCL_DECODER</c> (<c>auto</c>, <c>opencv</c> or <c>ffmpeg</c>: the
/// route by which the command line's <c>--decoder</c> reaches every decode, including ML.NET models loaded from disk),
/// then picks the system FFmpeg when it loads (measured faster, docs/video.md) and otherwise OpenCV's bundled FFmpeg,
/// with one line on standard error the first time (per process) that the fallback happens. Thread-safe.
/// </summary>
internal static class VideoDecoderSelector
{
    /// <summary>The environment variable that chooses the back-end wherever options say <see cref="VideoDecoderBackend.Auto"/>.</summary>
    public const string EnvironmentVariable = "CONSTCL_DECODER";

    private static int _noticeWritten;

    /// <summary>True when the system FFmpeg back-end can be used in this process.</summary>
    public static bool FfmpegAvailable => FfmpegLibrary.IsAvailable;

    /// <summary>Why the system FFmpeg back-end cannot be used (empty when it can).</summary>
    public static string FfmpegUnavailableReason => FfmpegLibrary.UnavailableReason;

    /// <summary>The system FFmpeg's library versions, or null when it did not load.</summary>
    public static string? FfmpegVersions => FfmpegLibrary.TryInstance?.Versions;

    /// <summary>Where the fallback notice goes (standard error; tests redirect it).</summary>
    internal static TextWriter NoticeWriter { get; set; } = Console.Error;

    /// <summary>The concrete back-end for <paramref name="requested"/> (never <see cref="VideoDecoderBackend.Auto"/>).</summary>
    /// <exception cref="NotSupportedException"><see cref="VideoDecoderBackend.Ffmpeg"/> was asked for and the system FFmpeg did not load.</exception>
    public static VideoDecoderBackend Resolve(VideoDecoderBackend requested)
    {
        switch (requested)
        {
            case VideoDecoderBackend.OpenCv:
                return VideoDecoderBackend.OpenCv;
            case VideoDecoderBackend.Ffmpeg:
                _ = FfmpegLibrary.Instance; // throws with the reason when missing
                return VideoDecoderBackend.Ffmpeg;
            default:
                if (FromEnvironment() is VideoDecoderBackend chosen)
                {
                    return Resolve(chosen);
                }

                if (FfmpegLibrary.IsAvailable)
                {
                    return VideoDecoderBackend.Ffmpeg;
                }

                if (Interlocked.Exchange(ref _noticeWritten, 1) == 0)
                {
                    NoticeWriter.WriteLine($"constcl: decoding videos with OpenCV's bundled FFmpeg (slower): the system FFmpeg is not available: {FfmpegLibrary.UnavailableReason}");
                }

                return VideoDecoderBackend.OpenCv;
        }
    }

    /// <summary>
    /// The back-end <c>CONSTCL_DECODER</c> names, or null when it is unset, empty or <c>auto</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The variable holds anything else.</exception>
    public static VideoDecoderBackend? FromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TryParse(text, out var backend)
            ? backend == VideoDecoderBackend.Auto ? null : backend
            : throw new ArgumentException($"{EnvironmentVariable} must be auto, opencv or ffmpeg; got '{text}'.");
    }

    /// <summary>Parses <c>auto</c>, <c>opencv</c> or <c>ffmpeg</c> (any case).</summary>
    public static bool TryParse(string text, out VideoDecoderBackend backend)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "auto":
                backend = VideoDecoderBackend.Auto;
                return true;
            case "opencv":
                backend = VideoDecoderBackend.OpenCv;
                return true;
            case "ffmpeg":
                backend = VideoDecoderBackend.Ffmpeg;
                return true;
            default:
                backend = default;
                return false;
        }
    }

    /// <summary>Opens a video file (not a frame folder) with the back-end <paramref name="options"/> selects.</summary>
    public static FrameGrabbingVideoSource OpenFile(string path, VideoDecodeOptions options)
        => Resolve(options.Decoder) == VideoDecoderBackend.Ffmpeg
            ? FfmpegVideoSource.Open(path, options)
            : OpenCvVideoSource.Open(path, options);
}

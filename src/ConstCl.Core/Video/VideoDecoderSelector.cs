using ConstCl.Video.Ffmpeg;

namespace ConstCl.Video;

/// <summary>
/// Turns <see cref="VideoDecodeOptions.Decoder"/> into the back-end that opens a video file. <see cref="VideoDecoderBackend.Auto"/>
/// first honours the environment variable <c>CONSTCL_DECODER</c> (<c>auto</c>, <c>opencv</c> or <c>ffmpeg</c>: the
/// route by which the command line's <c>--decoder</c> reaches every decode, including ML.NET models loaded from disk),
/// then picks the system FFmpeg when it loads (measured faster, docs/video.md) and otherwise OpenCV's bundled FFmpeg,
/// raising <see cref="Notice"/> once (per process) the first time that the fallback happens. Thread-safe.
/// </summary>
public static class VideoDecoderSelector
{
    /// <summary>The environment variable that chooses the back-end wherever options say <see cref="VideoDecoderBackend.Auto"/>.</summary>
    public const string EnvironmentVariable = "CONSTCL_DECODER";

    private static int _noticeRaised;

    /// <summary>
    /// Raised once per process, the first time <see cref="VideoDecoderBackend.Auto"/> falls back to OpenCV, with one line
    /// that says so and why. A library does not write to the console: the host decides where the line goes (the
    /// <c>constcl</c> tool writes it to standard error). Subscribe before the first decode; a notice raised while nobody
    /// listens is not repeated. Handlers run on the decoding thread and must not throw.
    /// </summary>
    public static event Action<string>? Notice;

    /// <summary>True when the system FFmpeg back-end can be used in this process.</summary>
    public static bool FfmpegAvailable => FfmpegLibrary.IsAvailable;

    /// <summary>Why the system FFmpeg back-end cannot be used (empty when it can).</summary>
    public static string FfmpegUnavailableReason => FfmpegLibrary.UnavailableReason;

    /// <summary>The system FFmpeg's library versions, or null when it did not load.</summary>
    public static string? FfmpegVersions => FfmpegLibrary.TryInstance?.Versions;

    /// <summary>The concrete back-end for <paramref name="requested"/> (never <see cref="VideoDecoderBackend.Auto"/>).</summary>
    /// <param name="requested">What the decode options ask for.</param>
    /// <returns><see cref="VideoDecoderBackend.OpenCv"/> or <see cref="VideoDecoderBackend.Ffmpeg"/>.</returns>
    /// <exception cref="NotSupportedException"><see cref="VideoDecoderBackend.Ffmpeg"/> was asked for and the system FFmpeg did not load.</exception>
    /// <exception cref="ArgumentException"><c>CONSTCL_DECODER</c> holds an unknown value.</exception>
    public static VideoDecoderBackend Resolve(VideoDecoderBackend requested)
    {
        var (backend, notice) = Decide(requested, FromEnvironment(), FfmpegLibrary.IsAvailable, FfmpegLibrary.UnavailableReason);
        if (notice is not null)
        {
            RaiseOnce(ref _noticeRaised, notice);
        }

        return backend;
    }

    /// <summary>Raises <see cref="Notice"/> with <paramref name="notice"/> unless <paramref name="raised"/> says it already was.</summary>
    internal static void RaiseOnce(ref int raised, string notice)
    {
        if (Interlocked.Exchange(ref raised, 1) == 0)
        {
            Notice?.Invoke(notice);
        }
    }

    /// <summary>
    /// The choice itself, free of process state: <paramref name="requested"/>, then the environment's choice for
    /// <see cref="VideoDecoderBackend.Auto"/>, then availability. Returns the fallback notice when <c>Auto</c> falls back.
    /// </summary>
    internal static (VideoDecoderBackend Backend, string? Notice) Decide(VideoDecoderBackend requested, VideoDecoderBackend? environment, bool ffmpegAvailable, string unavailableReason)
    {
        if (requested == VideoDecoderBackend.Auto && environment is VideoDecoderBackend chosen)
        {
            requested = chosen;
        }

        switch (requested)
        {
            case VideoDecoderBackend.OpenCv:
                return (VideoDecoderBackend.OpenCv, null);
            case VideoDecoderBackend.Ffmpeg:
                return ffmpegAvailable
                    ? (VideoDecoderBackend.Ffmpeg, null)
                    : throw new NotSupportedException($"The FFmpeg decoder back-end is not available: {unavailableReason}");
            default:
                return ffmpegAvailable
                    ? (VideoDecoderBackend.Ffmpeg, null)
                    : (VideoDecoderBackend.OpenCv, $"constcl: decoding videos with OpenCV's bundled FFmpeg (slower): the system FFmpeg is not available: {unavailableReason}");
        }
    }

    /// <summary>
    /// The back-end <c>CONSTCL_DECODER</c> names, or null when it is unset, empty or <c>auto</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The variable holds anything else.</exception>
    public static VideoDecoderBackend? FromEnvironment() => ParseEnvironmentValue(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>What a value of <c>CONSTCL_DECODER</c> asks for: null for unset, empty or <c>auto</c>.</summary>
    /// <exception cref="ArgumentException">Anything but <c>auto</c>, <c>opencv</c> or <c>ffmpeg</c> (any case).</exception>
    internal static VideoDecoderBackend? ParseEnvironmentValue(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TryParse(text, out var backend)
            ? backend == VideoDecoderBackend.Auto ? null : backend
            : throw new ArgumentException($"{EnvironmentVariable} must be auto, opencv or ffmpeg; got '{text}'.");
    }

    /// <summary>Parses <c>auto</c>, <c>opencv</c> or <c>ffmpeg</c> (any case, surrounding white space ignored).</summary>
    /// <param name="text">The name.</param>
    /// <param name="backend">The back-end it names, or the default when it names none.</param>
    /// <returns>True when <paramref name="text"/> names a back-end.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static bool TryParse(string text, out VideoDecoderBackend backend)
    {
        ArgumentNullException.ThrowIfNull(text);
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
    internal static FrameGrabbingVideoSource OpenFile(string path, VideoDecodeOptions options)
        => Resolve(options.Decoder) == VideoDecoderBackend.Ffmpeg
            ? FfmpegVideoSource.Open(path, options)
            : OpenCvVideoSource.Open(path, options);
}

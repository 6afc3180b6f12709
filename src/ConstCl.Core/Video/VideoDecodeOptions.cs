namespace ConstCl.Video;

/// <summary>
/// How videos are decoded. Defaults are defined here once; <see cref="Validate"/> is called by every reader.
/// Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record VideoDecodeOptions
{
    /// <summary>The defaults: native size, area resize, wrap at the end, 30 s per video, 8 bad-frame retries, one decoder thread, the faster decoder back-end.</summary>
    public static VideoDecodeOptions Default { get; } = new();

    /// <summary>
    /// Frames are resized while decoding so that their shorter side equals this many pixels (aspect ratio kept,
    /// the longer side rounded to the nearest pixel). 0 keeps the native size.
    /// </summary>
    public int ShortSide { get; init; }

    /// <summary>Interpolation for the resize.</summary>
    public FrameResizeMode ResizeMode { get; init; } = FrameResizeMode.Area;

    /// <summary>What indices at or past the decodable frame count read.</summary>
    public ClipEndPolicy EndPolicy { get; init; } = ClipEndPolicy.Wrap;

    /// <summary>
    /// Longest time one operation on one video (open, probe, count, read a clip) may take before the decoder is
    /// abandoned and <see cref="VideoErrorKind.Timeout"/> is thrown. <see cref="Timeout.InfiniteTimeSpan"/> disables the limit.
    /// </summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many consecutive failed grabs are tolerated before the stream is considered ended (a bad slice in the middle
    /// of a stream makes one grab fail; decoding continues with the next packet).
    /// </summary>
    public int MaxConsecutiveGrabFailures { get; init; } = 8;

    /// <summary>
    /// A target this many frames or more ahead of the current position is reached by seeking (<c>PosFrames</c>);
    /// nearer targets are reached by grabbing frames sequentially. Seeking is only used where it was verified
    /// frame-exact (see docs/video.md); other containers always grab sequentially.
    /// </summary>
    public int SeekThreshold { get; init; } = 24;

    /// <summary>
    /// FFmpeg decoder threads per video (0 = the decoder's automatic count, one per core). Loaders decode many videos in
    /// parallel and share the cores with libtorch, so 1 is the default.
    /// </summary>
    public int DecoderThreads { get; init; } = 1;

    /// <summary>
    /// Which decoder reads video files: <see cref="VideoDecoderBackend.Auto"/> (the system FFmpeg when it loads, else
    /// OpenCV's bundled FFmpeg), <see cref="VideoDecoderBackend.OpenCv"/> or <see cref="VideoDecoderBackend.Ffmpeg"/>.
    /// Both follow the same seeking rules and error classification (docs/video.md).
    /// </summary>
    public VideoDecoderBackend Decoder { get; init; } = VideoDecoderBackend.Auto;

    /// <summary>Checks every field and throws <see cref="ArgumentOutOfRangeException"/> naming the first bad one.</summary>
    public VideoDecodeOptions Validate()
    {
        if (ShortSide < 0 || ShortSide > 8192)
        {
            throw new ArgumentOutOfRangeException(nameof(ShortSide), ShortSide, "ShortSide must be 0 (native size) or 1..8192 pixels.");
        }

        if (!Enum.IsDefined(ResizeMode))
        {
            throw new ArgumentOutOfRangeException(nameof(ResizeMode), ResizeMode, "Unknown resize mode.");
        }

        if (!Enum.IsDefined(EndPolicy))
        {
            throw new ArgumentOutOfRangeException(nameof(EndPolicy), EndPolicy, "Unknown end policy.");
        }

        if (TimeLimit != Timeout.InfiniteTimeSpan && TimeLimit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), TimeLimit, "TimeLimit must be positive or Timeout.InfiniteTimeSpan.");
        }

        if (MaxConsecutiveGrabFailures < 0 || MaxConsecutiveGrabFailures > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConsecutiveGrabFailures), MaxConsecutiveGrabFailures, "MaxConsecutiveGrabFailures must be in 0..10000.");
        }

        if (SeekThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(SeekThreshold), SeekThreshold, "SeekThreshold must be at least 1 frame.");
        }

        if (DecoderThreads < 0 || DecoderThreads > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(DecoderThreads), DecoderThreads, "DecoderThreads must be in 0..64 (0 = the decoder's default).");
        }

        if (!Enum.IsDefined(Decoder))
        {
            throw new ArgumentOutOfRangeException(nameof(Decoder), Decoder, "Unknown decoder back-end.");
        }

        return this;
    }
}

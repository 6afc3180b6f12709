namespace ConstCl.Video.Ffmpeg;

/// <summary>
/// A video file decoded in-process by the system's FFmpeg libraries (<see cref="VideoDecoderBackend.Ffmpeg"/>). The
/// decoding rules (error classification, seeking only where verified, seek checks, bad slices, lying headers) are
/// those of <see cref="FrameGrabbingVideoSource"/>, shared with the OpenCV back-end; this class supplies the
/// primitives over <c>av_read_frame</c> / <c>avcodec_send_packet</c> / <c>avcodec_receive_frame</c>, a keyframe seek
/// followed by decoding forward to the target's timestamp, and libswscale's conversion to RGB24. Not thread-safe.
/// </summary>
internal sealed class FfmpegVideoSource : FrameGrabbingVideoSource
{
    private const string Name = "the system FFmpeg";

    private readonly FfmpegLibrary _lib;
    private readonly FfmpegFrameConverter _converter;
    private FfmpegDecoder _decoder;
    private bool _hasFrame;

    private FfmpegVideoSource(FfmpegLibrary lib, string path, VideoDecodeOptions options, ContainerProbe probe, FfmpegDecoder decoder)
        : base(path, options, probe, ReadInfo(path, probe, decoder))
    {
        _lib = lib;
        _decoder = decoder;
        _converter = new FfmpegFrameConverter(lib, options.ShortSide, options.ResizeMode);
    }

    /// <inheritdoc />
    protected override string DecoderName => Name;

    /// <inheritdoc />
    protected override VideoDecoderBackend DecoderKind => VideoDecoderBackend.Ffmpeg;

    /// <summary>
    /// Opens <paramref name="path"/>, classifying every failure into a <see cref="VideoErrorKind"/>, and decodes its
    /// first two frames as a check. Throws <see cref="NotSupportedException"/> when the system FFmpeg is not available.
    /// </summary>
    public static FfmpegVideoSource Open(string path, VideoDecodeOptions options)
    {
        var lib = FfmpegLibrary.Instance;
        var probe = CheckFile(path);
        var decoder = OpenDecoder(lib, path, options, probe);
        FfmpegVideoSource source;
        try
        {
            source = new FfmpegVideoSource(lib, path, options, probe, decoder);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }

        return Checked(source);
    }

    /// <inheritdoc />
    protected override bool GrabOnce()
    {
        _hasFrame = _decoder.Next() == FfmpegFrameResult.Frame;
        return _hasFrame;
    }

    /// <inheritdoc />
    protected override double CurrentMilliseconds() => _hasFrame ? _decoder.Milliseconds(_decoder.Frame) : double.NaN;

    /// <inheritdoc />
    protected override void SeekTo(int target, double expectedMsec)
    {
        // To the keyframe at or before the target, then decode forward (without converting) up to the frame stamped
        // nearest the target's expected time; that frame is delivered by the next grab, whose timestamp is then checked.
        // A refused seek or a stream that ends first leaves the check to fail, which rewinds and decodes forward.
        _hasFrame = false;
        double half = 0.5 * NominalMilliseconds;
        if (!_decoder.SeekBackwardTo(expectedMsec - half))
        {
            return;
        }

        for (int failures = 0; ;)
        {
            var result = _decoder.Next();
            if (result == FfmpegFrameResult.End)
            {
                return;
            }

            if (result == FfmpegFrameResult.Failed)
            {
                if (++failures > Options.MaxConsecutiveGrabFailures)
                {
                    return;
                }

                continue;
            }

            failures = 0;
            double msec = _decoder.Milliseconds(_decoder.Frame);
            if (!(msec < expectedMsec - half))
            {
                _decoder.KeepCurrent(); // the target, or a frame past it (then the timestamp check fails)
                return;
            }
        }
    }

    /// <inheritdoc />
    protected override void Reopen()
    {
        _hasFrame = false;
        _decoder.Dispose();
        _decoder = OpenDecoder(_lib, Path, Options, Probe, reopening: true);
    }

    /// <inheritdoc />
    protected override (byte[] Rgb, int Width, int Height)? RetrieveCurrent()
        => _hasFrame ? _converter.Convert(_decoder.Frame) : null;

    /// <inheritdoc />
    protected override void ReleaseDecoder()
    {
        _decoder.Dispose();
        _converter.Dispose();
    }

    private static FfmpegDecoder OpenDecoder(FfmpegLibrary lib, string path, VideoDecodeOptions options, ContainerProbe probe, bool reopening = false)
        => FfmpegDecoder.Open(
            lib,
            path,
            options.DecoderThreads,
            what => reopening
                ? new VideoDecodeException(VideoErrorKind.Unreadable, path, $"FFmpeg could not reopen the video to rewind it ({what}).")
                : OpenFailure(path, probe, what, Name));

    private static VideoInfo ReadInfo(string path, ContainerProbe probe, FfmpegDecoder decoder)
    {
        double fps = decoder.FramesPerSecond;
        return new VideoInfo(
            path,
            probe.Format,
            Codec(decoder, probe),
            decoder.Width,
            decoder.Height,
            decoder.HeaderFrameCount,
            double.IsFinite(fps) && fps > 0 && fps < 10_000 ? fps : 0);
    }

    /// <summary>The codec's FourCC as the OpenCV back-end reports it (<see cref="FfmpegDecoder.FourCC"/>), else FFmpeg's codec name.</summary>
    private static string Codec(FfmpegDecoder decoder, ContainerProbe probe)
    {
        uint v = decoder.FourCC;
        return v == 0 ? probe.StreamFourCC ?? decoder.CodecName : FourCCText(v);
    }
}

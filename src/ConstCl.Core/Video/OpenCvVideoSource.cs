using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>
/// A video file decoded in-process by OpenCV's FFmpeg back-end (<see cref="VideoDecoderBackend.OpenCv"/>). The
/// decoding rules (seeking only where verified, seek checks, bad slices, lying headers) live in
/// <see cref="FrameGrabbingVideoSource"/>; this class supplies OpenCV's primitives: <c>Grab</c>, <c>PosMsec</c>,
/// <c>PosFrames</c> seeking, <c>Retrieve</c>. Not thread-safe.
/// </summary>
internal sealed class OpenCvVideoSource : FrameGrabbingVideoSource
{
    private const int CapPropHwAcceleration = 50;
    private const int CapPropNThreads = 70;

    private readonly FrameConverter _converter;
    private readonly Mat _frame = new();
    private VideoCapture _capture;

    private OpenCvVideoSource(string path, VideoDecodeOptions options, ContainerProbe probe, VideoCapture capture)
        : base(path, options, probe, ReadInfo(path, probe, capture))
    {
        _capture = capture;
        _converter = new FrameConverter(options.ShortSide, options.ResizeMode);
    }

    /// <inheritdoc />
    protected override string DecoderName => "the bundled FFmpeg";

    /// <inheritdoc />
    protected override VideoDecoderBackend DecoderKind => VideoDecoderBackend.OpenCv;

    /// <summary>Opens <paramref name="path"/>, classifying every failure into a <see cref="VideoErrorKind"/>, and decodes its first two frames as a check.</summary>
    public static OpenCvVideoSource Open(string path, VideoDecodeOptions options)
    {
        var probe = CheckFile(path);
        var capture = OpenCapture(path, options);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw OpenFailure(path, probe, "FFmpeg could not open the video stream", "the bundled FFmpeg");
        }

        return Checked(new OpenCvVideoSource(path, options, probe, capture));
    }

    /// <summary>Opens the FFmpeg capture with hardware acceleration off and <see cref="VideoDecodeOptions.DecoderThreads"/> decoder threads.</summary>
    internal static VideoCapture OpenCapture(string path, VideoDecodeOptions options)
    {
        var parameters = new List<int> { CapPropHwAcceleration, 0 };
        if (options.DecoderThreads > 0)
        {
            parameters.Add(CapPropNThreads);
            parameters.Add(options.DecoderThreads);
        }

        return new VideoCapture(path, VideoCaptureAPIs.FFMPEG, parameters.ToArray());
    }

    /// <inheritdoc />
    protected override bool GrabOnce() => _capture.Grab();

    /// <inheritdoc />
    protected override double CurrentMilliseconds() => _capture.Get(VideoCaptureProperties.PosMsec);

    /// <inheritdoc />
    protected override void SeekTo(int target, double expectedMsec) => _capture.Set(VideoCaptureProperties.PosFrames, target);

    /// <inheritdoc />
    protected override void Reopen()
    {
        _capture.Dispose();
        _capture = OpenCapture(Path, Options);
        if (!_capture.IsOpened())
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, "FFmpeg could not reopen the video to rewind it.");
        }
    }

    /// <inheritdoc />
    protected override (byte[] Rgb, int Width, int Height)? RetrieveCurrent()
        => !_capture.Retrieve(_frame) || _frame.Empty() ? null : _converter.Convert(_frame);

    /// <inheritdoc />
    protected override void ReleaseDecoder()
    {
        _capture.Dispose();
        _frame.Dispose();
        _converter.Dispose();
    }

    private static VideoInfo ReadInfo(string path, ContainerProbe probe, VideoCapture capture)
    {
        double fps = capture.Get(VideoCaptureProperties.Fps);
        return new VideoInfo(
            path,
            probe.Format,
            Codec(capture, probe),
            capture.FrameWidth,
            capture.FrameHeight,
            Math.Max(0, (int)Math.Round(capture.Get(VideoCaptureProperties.FrameCount))),
            double.IsFinite(fps) && fps > 0 && fps < 10_000 ? fps : 0);
    }

    private static string Codec(VideoCapture capture, ContainerProbe probe)
    {
        int v = (int)capture.Get(VideoCaptureProperties.FourCC);
        return v == 0 ? probe.StreamFourCC ?? "unknown" : FourCCText(unchecked((uint)v));
    }
}

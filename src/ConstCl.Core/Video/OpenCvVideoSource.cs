using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>
/// A video file decoded in-process by OpenCV's FFmpeg back-end. Seeks with <c>PosFrames</c> only where that was
/// verified frame-exact (AVI, MP4, Matroska/WebM with a constant frame rate), checks every seek against the frame
/// timestamp and falls back to sequential grabbing from the start when a seek lands elsewhere. Not thread-safe.
/// </summary>
internal sealed class OpenCvVideoSource : IVideoSource
{
    private const int CapPropHwAcceleration = 50;
    private const int CapPropNThreads = 70;

    private readonly VideoDecodeOptions _options;
    private readonly ContainerProbe _probe;
    private readonly FrameConverter _converter;
    private readonly Mat _frame = new();
    private VideoCapture _capture;
    private int _next;                 // index of the frame the next successful grab delivers
    private bool _seekable;
    private bool _verifySeekOnNextGrab;
    private int _seekTarget;
    private double _firstMsec;
    private double _lastMsec = double.NaN;
    private int _lastIndex = -1;
    private int _pendingFailures;
    private int _grabFailures;
    private bool _disposed;

    private OpenCvVideoSource(string path, VideoDecodeOptions options, ContainerProbe probe, VideoCapture capture)
    {
        Path = path;
        _options = options;
        _probe = probe;
        _capture = capture;
        _converter = new FrameConverter(options.ShortSide, options.ResizeMode);
        double fps = capture.Get(VideoCaptureProperties.Fps);
        Info = new VideoInfo(
            path,
            probe.Format,
            Codec(capture, probe),
            capture.FrameWidth,
            capture.FrameHeight,
            Math.Max(0, (int)Math.Round(capture.Get(VideoCaptureProperties.FrameCount))),
            double.IsFinite(fps) && fps > 0 && fps < 10_000 ? fps : 0);
        _seekable = probe.SeekVerified && Info.FramesPerSecond > 0;
    }

    public string Path { get; }

    public VideoInfo Info { get; }

    /// <summary>True while <c>PosFrames</c> seeking is trusted for this file (tests).</summary>
    internal bool SeekingEnabled => _seekable;

    /// <summary>Opens <paramref name="path"/>, classifying every failure into a <see cref="VideoErrorKind"/>, and decodes its first two frames as a check.</summary>
    public static OpenCvVideoSource Open(string path, VideoDecodeOptions options)
    {
        if (!File.Exists(path))
        {
            throw new VideoDecodeException(VideoErrorKind.Missing, path, "the file does not exist.");
        }

        ContainerProbe probe;
        try
        {
            if (new FileInfo(path).Length == 0)
            {
                throw new VideoDecodeException(VideoErrorKind.Empty, path, "the file has zero bytes.");
            }

            probe = ContainerSniffer.Probe(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, path, $"the file cannot be read ({e.Message}).", e);
        }

        if (probe.IsImage)
        {
            throw new VideoDecodeException(VideoErrorKind.NotAVideo, path, $"the file is a {probe.Format.ToUpperInvariant()} image, not a video (expected a video container such as AVI, MP4, WebM or MPEG).");
        }

        if (!probe.IsVideoContainer)
        {
            throw new VideoDecodeException(VideoErrorKind.NotAVideo, path, $"the bytes are not a known video container (detected: {probe.Format}; expected AVI, MP4/MOV, Matroska/WebM, MPEG, FLV, Ogg or ASF).");
        }

        var capture = OpenCapture(path, options);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw OpenFailure(path, probe, "FFmpeg could not open the video stream");
        }

        var source = new OpenCvVideoSource(path, options, probe, capture);
        try
        {
            source.CheckFirstFrames();
        }
        catch
        {
            source.Dispose();
            throw;
        }

        return source;
    }

    /// <inheritdoc />
    public int CountFrames()
    {
        ThrowIfDisposed();
        return FrameCountCache.TryGetCount(Path, _options.MaxConsecutiveGrabFailures, out int count) ? count : Scan().DecodableFrames;
    }

    /// <inheritdoc />
    public VideoScan Scan()
    {
        ThrowIfDisposed();
        if (FrameCountCache.TryGetScan(Path, _options.MaxConsecutiveGrabFailures, out var cached))
        {
            return cached;
        }

        Rewind();
        var stamps = new List<double>();
        int failuresBefore = _grabFailures;
        while (GrabNext())
        {
            stamps.Add(_lastMsec);
        }

        int count = _next;
        if (count == 0)
        {
            throw OpenFailure(Path, _probe, "no frame decodes");
        }

        var scan = BuildScan(Info, count, stamps, _grabFailures - failuresBefore);
        FrameCountCache.SetScan(Path, _options.MaxConsecutiveGrabFailures, scan);
        return scan;
    }

    /// <inheritdoc />
    public FrameSequence ReadFrames(IReadOnlyList<int> frameIndices)
    {
        ThrowIfDisposed();
        ClipIndexMapper.Validate(frameIndices);
        int? known = FrameCountCache.TryGetCount(Path, _options.MaxConsecutiveGrabFailures, out int c) ? c : null;
        var read = new int[frameIndices.Count];
        for (int i = 0; i < read.Length; i++)
        {
            read[i] = known is int n ? ClipIndexMapper.Map(frameIndices[i], n, _options.EndPolicy, Path) : frameIndices[i];
        }

        var decoded = new Dictionary<int, byte[]>();
        int width = 0, height = 0;
        foreach (int target in read.Distinct().Order())
        {
            if (!TryReach(target))
            {
                // Past the real end (the header may have promised more): count what decodes and remap.
                int count = CountFrames();
                for (int i = 0; i < read.Length; i++)
                {
                    read[i] = ClipIndexMapper.Map(frameIndices[i], count, _options.EndPolicy, Path);
                }

                foreach (int t in read.Distinct().Order().Where(t => !decoded.ContainsKey(t)))
                {
                    if (!TryReach(t) && !(_seekable && ReachWithoutSeeking(t)))
                    {
                        throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, $"frame {t} of {count} counted frames failed to decode on a second pass.");
                    }

                    (decoded[t], width, height) = RetrieveCurrent();
                }

                break;
            }

            (decoded[target], width, height) = RetrieveCurrent();
        }

        var frames = new byte[read.Length][];
        for (int i = 0; i < read.Length; i++)
        {
            frames[i] = decoded[read[i]];
        }

        if (frames.Length == 0)
        {
            (width, height) = FrameConverter.TargetSize(Info.Width, Info.Height, _options.ShortSide);
        }

        return new FrameSequence(frames, width, height, read, Info.FramesPerSecond);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _capture.Dispose();
        _frame.Dispose();
        _converter.Dispose();
    }

    internal static VideoScan BuildScan(VideoInfo info, int count, IReadOnlyList<double> stampsMsec, int grabFailures)
    {
        var intervals = new List<double>();
        for (int i = 1; i < stampsMsec.Count; i++)
        {
            double d = stampsMsec[i] - stampsMsec[i - 1];
            if (double.IsFinite(d) && d > 0)
            {
                intervals.Add(d / 1000.0);
            }
        }

        double min = intervals.Count > 0 ? intervals.Min() : 0;
        double max = intervals.Count > 0 ? intervals.Max() : 0;
        bool vfr = intervals.Count > 1 && max - min > Math.Max(0.001, 0.1 * min);
        double duration;
        if (intervals.Count > 0 && intervals.Count >= (count - 1) / 2)
        {
            intervals.Sort();
            double typical = intervals[intervals.Count / 2];
            duration = (stampsMsec.Where(double.IsFinite).Max() - stampsMsec[0]) / 1000.0 + typical;
        }
        else
        {
            duration = info.FramesPerSecond > 0 ? count / info.FramesPerSecond : 0;
        }

        return new VideoScan(info, count, duration, min, max, vfr, grabFailures);
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

    private static VideoDecodeException OpenFailure(string path, ContainerProbe probe, string what)
    {
        if (probe.TruncationDetail is not null)
        {
            return new VideoDecodeException(VideoErrorKind.Truncated, path, $"{what}: the file is truncated ({probe.TruncationDetail}).");
        }

        string codec = probe.StreamFourCC is null ? string.Empty : $" (stream FourCC '{probe.StreamFourCC}')";
        return new VideoDecodeException(VideoErrorKind.UnsupportedCodec, path, $"{what}: the {probe.Format} container was recognised but its video codec{codec} cannot be decoded by the bundled FFmpeg.");
    }

    private static string Codec(VideoCapture capture, ContainerProbe probe)
    {
        int v = (int)capture.Get(VideoCaptureProperties.FourCC);
        if (v == 0)
        {
            return probe.StreamFourCC ?? "unknown";
        }

        var chars = new char[4];
        for (int i = 0; i < 4; i++)
        {
            int ch = (v >> (8 * i)) & 0xFF;
            chars[i] = ch is >= 32 and < 127 ? (char)ch : '?';
        }

        return new string(chars).TrimEnd('\0', ' ');
    }

    private void CheckFirstFrames()
    {
        if (Info.Width <= 0 || Info.Height <= 0 || !GrabNext())
        {
            throw OpenFailure(Path, _probe, "no frame decodes");
        }

        _firstMsec = _lastMsec;

        // A first frame stamped after 0 means a decoding delay (B-frames in AVI, packed bitstreams with placeholder
        // frames): OpenCV's frame-number arithmetic then lands one frame off (measured on a libxvid AVI), so such files
        // are decoded forward only.
        double nominal = Info.FramesPerSecond > 0 ? 1000.0 / Info.FramesPerSecond : 0;
        if (!(Math.Abs(_firstMsec) < 0.5 * nominal))
        {
            _seekable = false;
        }

        // A second frame shows whether the real frame interval matches the nominal rate (seeking assumes it does).
        GrabNext();
    }

    /// <summary>Positions the capture so that its last grabbed frame is <paramref name="target"/>; false at end of stream.</summary>
    private bool TryReach(int target)
    {
        if (target == _lastIndex && target == _next - 1)
        {
            return true;
        }

        if (target < _next)
        {
            // The frame was already passed (or is the current one, which may have been retrieved already: re-grab).
            if (_seekable && target > 0)
            {
                Seek(target);
            }
            else
            {
                Rewind();
            }
        }

        if (_seekable && target - _next >= _options.SeekThreshold)
        {
            Seek(target);
        }

        while (_next <= target)
        {
            if (!GrabNext())
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Last resort when a seek ran off the stream for an index that exists: decode forward from the start from now on.</summary>
    private bool ReachWithoutSeeking(int target)
    {
        _seekable = false;
        Rewind();
        return TryReach(target);
    }

    private void Seek(int target)
    {
        _capture.Set(VideoCaptureProperties.PosFrames, target);
        _next = target;
        _lastIndex = -1;
        _verifySeekOnNextGrab = true;
        _seekTarget = target;
    }

    private void Rewind()
    {
        _capture.Dispose();
        _capture = OpenCapture(Path, _options);
        if (!_capture.IsOpened())
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, "FFmpeg could not reopen the video to rewind it.");
        }

        _next = 0;
        _lastIndex = -1;
        _verifySeekOnNextGrab = false;
    }

    /// <summary>Grabs the next frame, tolerating up to <see cref="VideoDecodeOptions.MaxConsecutiveGrabFailures"/> failed grabs in a row.</summary>
    private bool GrabNext()
    {
        for (int attempt = 0; ; attempt++)
        {
            if (_capture.Grab())
            {
                _grabFailures += _pendingFailures;
                _pendingFailures = 0;
                break;
            }

            if (attempt >= _options.MaxConsecutiveGrabFailures)
            {
                // The capture no longer holds the last grabbed frame: it must be grabbed again to be retrieved.
                _pendingFailures = 0;
                _lastIndex = -1;
                return false;
            }

            _pendingFailures++;
        }

        double msec = _capture.Get(VideoCaptureProperties.PosMsec);
        double nominal = Info.FramesPerSecond > 0 ? 1000.0 / Info.FramesPerSecond : 0;
        if (_verifySeekOnNextGrab)
        {
            _verifySeekOnNextGrab = false;
            double expected = _firstMsec + (_seekTarget * nominal);
            if (!(Math.Abs(msec - expected) <= 0.5 * nominal))
            {
                // The seek landed on another frame (variable frame rate, broken index): stop trusting seeks.
                _seekable = false;
                Rewind();
                while (_next < _seekTarget)
                {
                    if (!GrabNext())
                    {
                        return false;
                    }
                }

                return GrabNext();
            }
        }
        else if (_lastIndex == _next - 1 && nominal > 0 && Math.Abs(msec - _lastMsec - nominal) > 0.1 * nominal)
        {
            // Observed interval differs from the nominal rate: variable frame rate, seeks by frame number are unsafe.
            _seekable = false;
        }

        _lastMsec = msec;
        _lastIndex = _next;
        _next++;
        return true;
    }

    private (byte[] Rgb, int Width, int Height) RetrieveCurrent()
    {
        if (!_capture.Retrieve(_frame) || _frame.Empty())
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, $"frame {_next - 1} was grabbed but could not be retrieved.");
        }

        return _converter.Convert(_frame);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}

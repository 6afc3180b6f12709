namespace ConstCl.Video;

/// <summary>
/// The decoding rules every video-file back-end shares (OpenCV's bundled FFmpeg, the system FFmpeg): the checks and
/// error classification before a file is opened, the first-frame checks, seeking only where it was verified
/// frame-exact (AVI, MP4, Matroska/WebM with a constant frame rate whose first frame is stamped at 0) with every seek
/// checked against the landed frame's timestamp, tolerated bad slices, lying header counts overruled by the frames
/// that decode, and whole-video scans. A back-end supplies only the primitives: grab one frame, its timestamp, seek,
/// reopen, convert the current frame. Not thread-safe.
/// </summary>
internal abstract class FrameGrabbingVideoSource : IVideoSource
{
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

    /// <summary>Initialises the shared state; the derived constructor must leave the decoder at the start of the stream.</summary>
    protected FrameGrabbingVideoSource(string path, VideoDecodeOptions options, ContainerProbe probe, VideoInfo info)
    {
        Path = path;
        Options = options;
        Probe = probe;
        Info = info;
        _seekable = probe.SeekVerified && info.FramesPerSecond > 0;
    }

    /// <inheritdoc />
    public string Path { get; }

    /// <inheritdoc />
    public VideoInfo Info { get; }

    /// <summary>True while seeking by frame number is trusted for this file (tests).</summary>
    internal bool SeekingEnabled => _seekable;

    /// <summary>The options the source was opened with.</summary>
    protected VideoDecodeOptions Options { get; }

    /// <summary>What the file's bytes said before it was opened.</summary>
    protected ContainerProbe Probe { get; }

    /// <summary>A short name of the decoder for error messages (e.g. "the bundled FFmpeg").</summary>
    protected abstract string DecoderName { get; }

    /// <inheritdoc />
    public int CountFrames()
    {
        ThrowIfDisposed();
        return FrameCountCache.TryGetCount(Path, DecoderKind, Options.MaxConsecutiveGrabFailures, out int count) ? count : Scan().DecodableFrames;
    }

    /// <inheritdoc />
    public VideoScan Scan()
    {
        ThrowIfDisposed();
        if (FrameCountCache.TryGetScan(Path, DecoderKind, Options.MaxConsecutiveGrabFailures, out var cached))
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
            throw OpenFailure(Path, Probe, "no frame decodes", DecoderName);
        }

        var scan = BuildScan(Info, count, stamps, _grabFailures - failuresBefore);
        FrameCountCache.SetScan(Path, DecoderKind, Options.MaxConsecutiveGrabFailures, scan);
        return scan;
    }

    /// <inheritdoc />
    public FrameSequence ReadFrames(IReadOnlyList<int> frameIndices)
    {
        ThrowIfDisposed();
        ClipIndexMapper.Validate(frameIndices);
        int? known = FrameCountCache.TryGetCount(Path, DecoderKind, Options.MaxConsecutiveGrabFailures, out int c) ? c : null;
        var read = new int[frameIndices.Count];
        for (int i = 0; i < read.Length; i++)
        {
            read[i] = known is int n ? ClipIndexMapper.Map(frameIndices[i], n, Options.EndPolicy, Path) : frameIndices[i];
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
                    read[i] = ClipIndexMapper.Map(frameIndices[i], count, Options.EndPolicy, Path);
                }

                foreach (int t in read.Distinct().Order().Where(t => !decoded.ContainsKey(t)))
                {
                    if (!TryReach(t) && !(_seekable && ReachWithoutSeeking(t)))
                    {
                        throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, $"frame {t} of {count} counted frames failed to decode on a second pass.");
                    }

                    (decoded[t], width, height) = RetrieveChecked();
                }

                break;
            }

            (decoded[target], width, height) = RetrieveChecked();
        }

        var frames = new byte[read.Length][];
        for (int i = 0; i < read.Length; i++)
        {
            frames[i] = decoded[read[i]];
        }

        if (frames.Length == 0)
        {
            (width, height) = FrameConverter.TargetSize(Info.Width, Info.Height, Options.ShortSide);
        }

        return new FrameSequence(frames, width, height, read, Info.FramesPerSecond);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReleaseDecoder();
    }

    /// <summary>Duration and frame-interval statistics from the timestamps of a whole decode.</summary>
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
            duration = (stampsMsec.Where(double.IsFinite).Max() - stampsMsec.First(double.IsFinite)) / 1000.0 + typical;
        }
        else
        {
            duration = info.FramesPerSecond > 0 ? count / info.FramesPerSecond : 0;
        }

        return new VideoScan(info, count, duration, min, max, vfr, grabFailures);
    }

    /// <summary>
    /// The checks every back-end makes before handing a file to a decoder: missing, empty, unreadable, a still image,
    /// not a known video container. Returns what the bytes say.
    /// </summary>
    protected static ContainerProbe CheckFile(string path)
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

        return probe;
    }

    /// <summary>A recognised container that the decoder cannot open or decode: truncated when its structure says so, else an unsupported codec.</summary>
    protected static VideoDecodeException OpenFailure(string path, ContainerProbe probe, string what, string decoderName)
    {
        if (probe.TruncationDetail is not null)
        {
            return new VideoDecodeException(VideoErrorKind.Truncated, path, $"{what}: the file is truncated ({probe.TruncationDetail}).");
        }

        string codec = probe.StreamFourCC is null ? string.Empty : $" (stream FourCC '{probe.StreamFourCC}')";
        return new VideoDecodeException(VideoErrorKind.UnsupportedCodec, path, $"{what}: the {probe.Format} container was recognised but its video codec{codec} cannot be decoded by {decoderName}.");
    }

    /// <summary>Grabs (decodes without converting) the next frame once; false on a failed grab or at the end of the stream.</summary>
    protected abstract bool GrabOnce();

    /// <summary>Timestamp of the last grabbed frame in milliseconds after the stream start; NaN when unknown.</summary>
    protected abstract double CurrentMilliseconds();

    /// <summary>
    /// Positions the decoder so that the next grab delivers frame <paramref name="target"/>, expected at
    /// <paramref name="expectedMsec"/>; the next grab's timestamp is checked against it.
    /// </summary>
    protected abstract void SeekTo(int target, double expectedMsec);

    /// <summary>Closes and reopens the decoder at the start of the stream.</summary>
    protected abstract void Reopen();

    /// <summary>The last grabbed frame as RGB24 at the configured short side; null when it cannot be retrieved.</summary>
    protected abstract (byte[] Rgb, int Width, int Height)? RetrieveCurrent();

    /// <summary>Frees the decoder (called once).</summary>
    protected abstract void ReleaseDecoder();

    /// <summary>The nominal interval between frames in milliseconds (0 when the rate is unknown).</summary>
    protected double NominalMilliseconds => Info.FramesPerSecond > 0 ? 1000.0 / Info.FramesPerSecond : 0;

    /// <summary>Runs the first-frame checks on a newly constructed source and returns it; disposes it when they fail.</summary>
    protected static T Checked<T>(T source)
        where T : FrameGrabbingVideoSource
    {
        try
        {
            source.CheckFirstFrames();
            return source;
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>A FourCC code as text (<c>XVID</c>); non-printable bytes become '?', trailing NULs and spaces are dropped.</summary>
    protected static string FourCCText(uint code)
    {
        var chars = new char[4];
        for (int i = 0; i < 4; i++)
        {
            uint ch = (code >> (8 * i)) & 0xFF;
            chars[i] = ch is >= 32 and < 127 ? (char)ch : '?';
        }

        return new string(chars).TrimEnd('\0', ' ');
    }

    /// <summary>Decodes the first two frames as a check.</summary>
    private void CheckFirstFrames()
    {
        if (Info.Width <= 0 || Info.Height <= 0 || !GrabNext())
        {
            throw OpenFailure(Path, Probe, "no frame decodes", DecoderName);
        }

        _firstMsec = _lastMsec;

        // A first frame stamped after 0 means a decoding delay (B-frames in AVI, packed bitstreams with placeholder
        // frames): OpenCV's frame-number arithmetic then lands one frame off (measured on a libxvid AVI), so such files
        // are decoded forward only, by every back-end alike.
        if (!(Math.Abs(_firstMsec) < 0.5 * NominalMilliseconds))
        {
            _seekable = false;
        }

        // A second frame shows whether the real frame interval matches the nominal rate (seeking assumes it does).
        GrabNext();
    }

    /// <summary>Which back-end this is (part of the frame-count cache key: two FFmpeg builds may disagree on what decodes).</summary>
    protected abstract VideoDecoderBackend DecoderKind { get; }

    private (byte[] Rgb, int Width, int Height) RetrieveChecked()
        => RetrieveCurrent() ?? throw new VideoDecodeException(VideoErrorKind.Unreadable, Path, $"frame {_next - 1} was grabbed but could not be retrieved.");

    /// <summary>Positions the decoder so that its last grabbed frame is <paramref name="target"/>; false at end of stream.</summary>
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

        if (_seekable && target - _next >= Options.SeekThreshold)
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
        SeekTo(target, _firstMsec + (target * NominalMilliseconds));
        _next = target;
        _lastIndex = -1;
        _verifySeekOnNextGrab = true;
        _seekTarget = target;
    }

    private void Rewind()
    {
        Reopen();
        _next = 0;
        _lastIndex = -1;
        _verifySeekOnNextGrab = false;
    }

    /// <summary>Grabs the next frame, tolerating up to <see cref="VideoDecodeOptions.MaxConsecutiveGrabFailures"/> failed grabs in a row.</summary>
    private bool GrabNext()
    {
        for (int attempt = 0; ; attempt++)
        {
            if (GrabOnce())
            {
                _grabFailures += _pendingFailures;
                _pendingFailures = 0;
                break;
            }

            if (attempt >= Options.MaxConsecutiveGrabFailures)
            {
                // The decoder no longer holds the last grabbed frame: it must be grabbed again to be retrieved.
                _pendingFailures = 0;
                _lastIndex = -1;
                return false;
            }

            _pendingFailures++;
        }

        double msec = CurrentMilliseconds();
        double nominal = NominalMilliseconds;
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

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}

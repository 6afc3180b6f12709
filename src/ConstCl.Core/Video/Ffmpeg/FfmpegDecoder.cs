using System.Runtime.InteropServices;
using System.Text;

namespace ConstCl.Video.Ffmpeg;

/// <summary>
/// One open video file in the system FFmpeg: demuxer (<c>AVFormatContext</c>), the best video stream's decoder
/// (<c>AVCodecContext</c>), one packet and one frame. Every native object is owned by an <see cref="FfmpegHandle"/>
/// and freed by <see cref="Dispose"/> (or, failing that, by its finalizer); a failed open frees what it allocated.
/// Not thread-safe.
/// </summary>
internal sealed unsafe class FfmpegDecoder : IDisposable
{
    private readonly FfmpegLibrary _lib;
    private readonly FfmpegHandle _format;
    private readonly FfmpegHandle _codec;
    private readonly FfmpegHandle _packet;
    private readonly FfmpegHandle _frame;
    private readonly int _stream;
    private readonly long _startTime;
    private bool _draining;
    private bool _pending;

    private FfmpegDecoder(FfmpegLibrary lib, FfmpegHandle format, FfmpegHandle codec, FfmpegHandle packet, FfmpegHandle frame, int stream)
    {
        _lib = lib;
        _format = format;
        _codec = codec;
        _packet = packet;
        _frame = frame;
        _stream = stream;
        IntPtr st = FfmpegAbi.Stream(format.Pointer, stream);
        IntPtr par = FfmpegAbi.StreamCodecParameters(st);
        Width = FfmpegAbi.CodecWidth(par);
        Height = FfmpegAbi.CodecHeight(par);
        CodecId = FfmpegAbi.CodecId(par);
        CodecTag = FfmpegAbi.CodecTag(par);
        TimeBase = FfmpegAbi.StreamTimeBaseOf(st).Value;
        long start = FfmpegAbi.StreamStartTimeOf(st);
        _startTime = start == FfmpegAbi.NoPts ? 0 : start;

        // As OpenCV's FFmpeg back-end: the average rate, else 1 / time base; the stream's frame count, else duration · rate.
        double fps = FfmpegAbi.StreamAverageFrameRate(st).Value;
        FramesPerSecond = fps > 1e-6 ? fps : (TimeBase > 0 ? 1.0 / TimeBase : 0);
        long frames = FfmpegAbi.StreamFrameCount(st);
        if (frames == 0)
        {
            long formatDuration = FfmpegAbi.FormatDuration(format.Pointer);
            double seconds = formatDuration == FfmpegAbi.NoPts ? 0 : (double)formatDuration / FfmpegAbi.TimeBase;
            if (seconds < 1e-6)
            {
                long streamDuration = FfmpegAbi.StreamDurationOf(st);
                seconds = streamDuration == FfmpegAbi.NoPts ? 0 : streamDuration * TimeBase;
            }

            frames = (long)Math.Floor((seconds * FramesPerSecond) + 0.5);
        }

        HeaderFrameCount = (int)Math.Clamp(frames, 0, int.MaxValue);
    }

    /// <summary>Coded width from the stream parameters.</summary>
    public int Width { get; }

    /// <summary>Coded height from the stream parameters.</summary>
    public int Height { get; }

    /// <summary>FFmpeg's codec id.</summary>
    public int CodecId { get; }

    /// <summary>The container's codec tag (an AVI FourCC, an MP4 sample entry), 0 when none.</summary>
    public uint CodecTag { get; }

    /// <summary>The stream's time base in seconds.</summary>
    public double TimeBase { get; }

    /// <summary>Nominal frame rate (average rate, else 1 / time base).</summary>
    public double FramesPerSecond { get; }

    /// <summary>Frame count claimed by the container (stream count, else duration · rate).</summary>
    public int HeaderFrameCount { get; }

    /// <summary>
    /// The codec's FourCC as OpenCV reports it: the first tag FFmpeg's AVI (RIFF) and then MOV tables give the codec
    /// (<c>FMP4</c> for MPEG-4 Part 2, <c>H264</c>, <c>VP90</c>, <c>mpg1</c>), else the container's own tag; 0 when neither.
    /// </summary>
    public uint FourCC
    {
        get
        {
            IntPtr* tables = stackalloc IntPtr[3];
            tables[0] = _lib.avformat_get_riff_video_tags();
            tables[1] = _lib.avformat_get_mov_video_tags();
            tables[2] = IntPtr.Zero;
            uint tag = _lib.av_codec_get_tag(tables, CodecId);
            return tag != 0 ? tag : CodecTag;
        }
    }

    /// <summary>FFmpeg's short name of the codec (<c>avcodec_get_name</c>).</summary>
    public string CodecName => Marshal.PtrToStringUTF8(_lib.avcodec_get_name(CodecId)) ?? "unknown";

    /// <summary>The frame produced by the last <see cref="Next"/> that returned <see cref="FfmpegFrameResult.Frame"/>.</summary>
    public IntPtr Frame => _frame.Pointer;

    /// <summary>
    /// Opens <paramref name="path"/>: demuxer, stream info, best video stream, its decoder with
    /// <paramref name="threads"/> threads (0 = FFmpeg's automatic count). Failures throw what
    /// <paramref name="failure"/> makes of a description (the caller classifies them).
    /// </summary>
    public static FfmpegDecoder Open(FfmpegLibrary lib, string path, int threads, Func<string, Exception> failure)
    {
        FfmpegHandle? format = null, codec = null, packet = null, frame = null;
        try
        {
            IntPtr fc = IntPtr.Zero;
            int r;
            byte[] utf8 = Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = utf8)
            {
                r = lib.avformat_open_input(&fc, p, IntPtr.Zero, null);
            }

            if (r < 0)
            {
                throw failure($"FFmpeg could not open the video stream ({lib.ErrorText(r)})");
            }

            format = new FfmpegHandle(lib, FfmpegHandleKind.FormatContext, fc);
            r = lib.avformat_find_stream_info(fc, null);
            if (r < 0)
            {
                throw failure($"FFmpeg could not read the stream information ({lib.ErrorText(r)})");
            }

            int stream = lib.av_find_best_stream(fc, FfmpegAbi.MediaTypeVideo, -1, -1, null, 0);
            if (stream < 0)
            {
                throw failure(stream == FfmpegAbi.ErrorStreamNotFound ? "the file has no video stream" : $"FFmpeg found no usable video stream ({lib.ErrorText(stream)})");
            }

            IntPtr par = FfmpegAbi.StreamCodecParameters(FfmpegAbi.Stream(fc, stream));
            IntPtr decoder = lib.avcodec_find_decoder(FfmpegAbi.CodecId(par));
            if (decoder == IntPtr.Zero)
            {
                throw failure($"FFmpeg has no decoder for codec '{Marshal.PtrToStringUTF8(lib.avcodec_get_name(FfmpegAbi.CodecId(par)))}'");
            }

            codec = new FfmpegHandle(lib, FfmpegHandleKind.CodecContext, lib.avcodec_alloc_context3(decoder));
            if (codec.IsInvalid)
            {
                throw new OutOfMemoryException("avcodec_alloc_context3 returned null.");
            }

            r = lib.avcodec_parameters_to_context(codec.Pointer, par);
            if (r < 0)
            {
                throw failure($"FFmpeg could not configure the decoder ({lib.ErrorText(r)})");
            }

            IntPtr options = IntPtr.Zero;
            try
            {
                SetOption(lib, &options, "threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
                r = lib.avcodec_open2(codec.Pointer, decoder, &options);
            }
            finally
            {
                lib.av_dict_free(&options);
            }

            if (r < 0)
            {
                throw failure($"FFmpeg could not open the decoder ({lib.ErrorText(r)})");
            }

            packet = new FfmpegHandle(lib, FfmpegHandleKind.Packet, lib.av_packet_alloc());
            frame = new FfmpegHandle(lib, FfmpegHandleKind.Frame, lib.av_frame_alloc());
            if (packet.IsInvalid || frame.IsInvalid)
            {
                throw new OutOfMemoryException("av_packet_alloc or av_frame_alloc returned null.");
            }

            var result = new FfmpegDecoder(lib, format, codec, packet, frame, stream);
            format = codec = packet = frame = null; // owned by the decoder now
            return result;
        }
        finally
        {
            frame?.Dispose();
            packet?.Dispose();
            codec?.Dispose();
            format?.Dispose();
        }
    }

    /// <summary>Milliseconds of a frame's best-effort timestamp after the stream's start time; NaN without a timestamp.</summary>
    public double Milliseconds(IntPtr frame)
    {
        long ts = FfmpegAbi.FrameTimestamp(frame);
        return ts == FfmpegAbi.NoPts ? double.NaN : (ts - _startTime) * TimeBase * 1000.0;
    }

    /// <summary>
    /// Decodes the next frame in presentation order. One call reads as many packets as the decoder needs; a packet the
    /// decoder rejects ends the call with <see cref="FfmpegFrameResult.Failed"/>.
    /// </summary>
    public FfmpegFrameResult Next()
    {
        if (_pending)
        {
            _pending = false;
            return FfmpegFrameResult.Frame;
        }

        IntPtr cc = _codec.Pointer, fc = _format.Pointer, pkt = _packet.Pointer, frame = _frame.Pointer;
        while (true)
        {
            int r = _lib.avcodec_receive_frame(cc, frame);
            if (r == 0)
            {
                return FfmpegFrameResult.Frame;
            }

            if (r == FfmpegAbi.ErrorEof)
            {
                return FfmpegFrameResult.End;
            }

            if (r != FfmpegAbi.ErrorAgain)
            {
                return FfmpegFrameResult.Failed;
            }

            if (_draining)
            {
                return FfmpegFrameResult.End; // the decoder wants input after the flush packet: nothing more comes
            }

            while (true)
            {
                r = _lib.av_read_frame(fc, pkt);
                if (r < 0)
                {
                    // End of file or an unreadable rest: drain the frames the decoder still holds.
                    _draining = true;
                    _lib.avcodec_send_packet(cc, IntPtr.Zero);
                    break;
                }

                if (FfmpegAbi.PacketStream(pkt) != _stream)
                {
                    _lib.av_packet_unref(pkt);
                    continue;
                }

                // The decoder was drained above (receive said EAGAIN), so it must accept input: any error, EAGAIN
                // included, means this packet is rejected, which counts as one failed grab (a bad slice).
                r = _lib.avcodec_send_packet(cc, pkt);
                _lib.av_packet_unref(pkt);
                if (r < 0)
                {
                    return FfmpegFrameResult.Failed;
                }

                break;
            }
        }
    }

    /// <summary>Makes the next <see cref="Next"/> return the current frame again (after a seek found its target).</summary>
    public void KeepCurrent() => _pending = true;

    /// <summary>
    /// Seeks the demuxer to the last keyframe at or before <paramref name="milliseconds"/> (stream time after the start
    /// time) and empties the decoder; false when FFmpeg refuses the seek.
    /// </summary>
    public bool SeekBackwardTo(double milliseconds)
    {
        _pending = false;
        _draining = false;
        long ts = _startTime + (long)Math.Floor(milliseconds / 1000.0 / TimeBase);
        int r = _lib.av_seek_frame(_format.Pointer, _stream, ts, FfmpegAbi.SeekFlagBackward);
        _lib.avcodec_flush_buffers(_codec.Pointer);
        return r >= 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _frame.Dispose();
        _packet.Dispose();
        _codec.Dispose();
        _format.Dispose();
    }

    private static void SetOption(FfmpegLibrary lib, IntPtr* options, string key, string value)
    {
        byte[] k = Encoding.UTF8.GetBytes(key + "\0"), v = Encoding.UTF8.GetBytes(value + "\0");
        fixed (byte* pk = k, pv = v)
        {
            if (lib.av_dict_set(options, pk, pv, 0) < 0)
            {
                throw new OutOfMemoryException("av_dict_set failed.");
            }
        }
    }
}

using System.Runtime.InteropServices;

namespace ConstCl.Video.Ffmpeg;

/// <summary>
/// The parts of FFmpeg's binary interface the back-end depends on, pinned for one set of major versions: libavformat
/// 59, libavcodec 59, libavutil 57, libswscale 6 (FFmpeg 5.1, Debian 12) on Linux x64. Every offset and constant below
/// was printed by <c>tools/ffmpeg-abi/offsets.c</c> compiled against Debian 12's FFmpeg 5.1 headers (offsetof, not
/// guessed); <see cref="FfmpegLibrary"/> refuses any other major version. To support another major version, run that
/// program against its headers and add its table; never edit a number by hand.
/// </summary>
internal static unsafe class FfmpegAbi
{
    /// <summary>Supported major versions (checked at load against <c>*_version()</c>).</summary>
    public const int AvFormatMajor = 59, AvCodecMajor = 59, AvUtilMajor = 57, SwScaleMajor = 6;

    /// <summary>The shared objects loaded, by library: their sonames carry the major version.</summary>
    public static readonly (string Name, string SoName)[] SharedObjects =
    [
        ("avutil", "libavutil.so.57"), ("avcodec", "libavcodec.so.59"), ("avformat", "libavformat.so.59"), ("swscale", "libswscale.so.6"),
    ];

    // AVFormatContext
    private const int FormatContextNbStreams = 44;   // unsigned int nb_streams
    private const int FormatContextStreams = 48;     // AVStream **streams
    private const int FormatContextDuration = 72;    // int64_t duration (AV_TIME_BASE units)

    // AVStream
    private const int StreamTimeBase = 16;           // AVRational time_base
    private const int StreamStartTime = 24;          // int64_t start_time
    private const int StreamDuration = 32;           // int64_t duration
    private const int StreamNbFrames = 40;           // int64_t nb_frames
    private const int StreamAvgFrameRate = 72;       // AVRational avg_frame_rate
    private const int StreamCodecPar = 208;          // AVCodecParameters *codecpar

    // AVCodecParameters
    private const int CodecParCodecId = 4;           // enum AVCodecID codec_id
    private const int CodecParCodecTag = 8;          // uint32_t codec_tag
    private const int CodecParWidth = 56;            // int width
    private const int CodecParHeight = 60;           // int height

    // AVPacket
    private const int PacketStreamIndex = 36;        // int stream_index

    // AVFrame
    private const int FrameData = 0;                 // uint8_t *data[8]
    private const int FrameLinesize = 64;            // int linesize[8]
    private const int FrameWidth = 104;              // int width
    private const int FrameHeight = 108;             // int height
    private const int FrameFormat = 116;             // int format (enum AVPixelFormat)
    private const int FrameBestEffortTimestamp = 344; // int64_t best_effort_timestamp

    /// <summary><c>AVMEDIA_TYPE_VIDEO</c>.</summary>
    public const int MediaTypeVideo = 0;

    /// <summary><c>AV_NOPTS_VALUE</c>.</summary>
    public const long NoPts = long.MinValue;

    /// <summary><c>AV_TIME_BASE</c>.</summary>
    public const long TimeBase = 1_000_000;

    /// <summary><c>AVERROR_EOF</c>.</summary>
    public const int ErrorEof = -541478725;

    /// <summary><c>AVERROR(EAGAIN)</c> on Linux.</summary>
    public const int ErrorAgain = -11;

    /// <summary><c>AVERROR_DECODER_NOT_FOUND</c>.</summary>
    public const int ErrorDecoderNotFound = -1128613112;

    /// <summary><c>AVERROR_STREAM_NOT_FOUND</c>.</summary>
    public const int ErrorStreamNotFound = -1381258232;

    /// <summary><c>AVSEEK_FLAG_BACKWARD</c>.</summary>
    public const int SeekFlagBackward = 1;

    /// <summary><c>AV_PIX_FMT_RGB24</c>.</summary>
    public const int PixelFormatRgb24 = 2;

    /// <summary><c>SWS_BILINEAR</c>.</summary>
    public const int SwsBilinear = 2;

    /// <summary><c>SWS_BICUBIC</c> (the flags the <c>ffmpeg</c> program's scale filter uses by default).</summary>
    public const int SwsBicubic = 4;

    /// <summary><c>AV_LOG_ERROR</c>.</summary>
    public const int AvLogError = 16;

    /// <summary>A rational number as FFmpeg lays it out (<c>AVRational</c>: two ints, 8 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public readonly struct Rational
    {
        /// <summary>Numerator.</summary>
        public readonly int Num;

        /// <summary>Denominator.</summary>
        public readonly int Den;

        /// <summary>The value as a double; 0 when the denominator is 0.</summary>
        public double Value => Den == 0 ? 0 : (double)Num / Den;
    }

    /// <summary><c>AVFormatContext.nb_streams</c>.</summary>
    public static int StreamCount(IntPtr formatContext) => *(int*)((byte*)formatContext + FormatContextNbStreams);

    /// <summary><c>AVFormatContext.streams[index]</c> (the index is checked against <c>nb_streams</c>).</summary>
    public static IntPtr Stream(IntPtr formatContext, int index)
    {
        if ((uint)index >= (uint)StreamCount(formatContext))
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "No such stream.");
        }

        IntPtr* streams = *(IntPtr**)((byte*)formatContext + FormatContextStreams);
        return streams[index];
    }

    /// <summary><c>AVFormatContext.duration</c> in <see cref="TimeBase"/> units (<see cref="NoPts"/> when unknown).</summary>
    public static long FormatDuration(IntPtr formatContext) => *(long*)((byte*)formatContext + FormatContextDuration);

    /// <summary><c>AVStream.time_base</c>.</summary>
    public static Rational StreamTimeBaseOf(IntPtr stream) => *(Rational*)((byte*)stream + StreamTimeBase);

    /// <summary><c>AVStream.start_time</c> in the stream's time base (<see cref="NoPts"/> when unknown).</summary>
    public static long StreamStartTimeOf(IntPtr stream) => *(long*)((byte*)stream + StreamStartTime);

    /// <summary><c>AVStream.duration</c> in the stream's time base (<see cref="NoPts"/> when unknown).</summary>
    public static long StreamDurationOf(IntPtr stream) => *(long*)((byte*)stream + StreamDuration);

    /// <summary><c>AVStream.nb_frames</c> (0 when the container does not say).</summary>
    public static long StreamFrameCount(IntPtr stream) => *(long*)((byte*)stream + StreamNbFrames);

    /// <summary><c>AVStream.avg_frame_rate</c>.</summary>
    public static Rational StreamAverageFrameRate(IntPtr stream) => *(Rational*)((byte*)stream + StreamAvgFrameRate);

    /// <summary><c>AVStream.codecpar</c>.</summary>
    public static IntPtr StreamCodecParameters(IntPtr stream) => *(IntPtr*)((byte*)stream + StreamCodecPar);

    /// <summary><c>AVCodecParameters.codec_id</c>.</summary>
    public static int CodecId(IntPtr codecPar) => *(int*)((byte*)codecPar + CodecParCodecId);

    /// <summary><c>AVCodecParameters.codec_tag</c>.</summary>
    public static uint CodecTag(IntPtr codecPar) => *(uint*)((byte*)codecPar + CodecParCodecTag);

    /// <summary><c>AVCodecParameters.width</c>.</summary>
    public static int CodecWidth(IntPtr codecPar) => *(int*)((byte*)codecPar + CodecParWidth);

    /// <summary><c>AVCodecParameters.height</c>.</summary>
    public static int CodecHeight(IntPtr codecPar) => *(int*)((byte*)codecPar + CodecParHeight);

    /// <summary><c>AVPacket.stream_index</c>.</summary>
    public static int PacketStream(IntPtr packet) => *(int*)((byte*)packet + PacketStreamIndex);

    /// <summary><c>AVFrame.data</c> (8 plane pointers).</summary>
    public static byte** FramePlanes(IntPtr frame) => (byte**)((byte*)frame + FrameData);

    /// <summary><c>AVFrame.linesize</c> (8 strides in bytes).</summary>
    public static int* FrameStrides(IntPtr frame) => (int*)((byte*)frame + FrameLinesize);

    /// <summary><c>AVFrame.data[plane]</c>.</summary>
    public static IntPtr FramePlane(IntPtr frame, int plane) => (IntPtr)FramePlanes(frame)[(uint)plane < 8 ? plane : throw new ArgumentOutOfRangeException(nameof(plane))];

    /// <summary><c>AVFrame.linesize[plane]</c>.</summary>
    public static int FrameStride(IntPtr frame, int plane) => FrameStrides(frame)[(uint)plane < 8 ? plane : throw new ArgumentOutOfRangeException(nameof(plane))];

    /// <summary><c>AVFrame.width</c>.</summary>
    public static int FrameWidthOf(IntPtr frame) => *(int*)((byte*)frame + FrameWidth);

    /// <summary><c>AVFrame.height</c>.</summary>
    public static int FrameHeightOf(IntPtr frame) => *(int*)((byte*)frame + FrameHeight);

    /// <summary><c>AVFrame.format</c> (an <c>AVPixelFormat</c>).</summary>
    public static int FramePixelFormat(IntPtr frame) => *(int*)((byte*)frame + FrameFormat);

    /// <summary><c>AVFrame.best_effort_timestamp</c> in the stream's time base (<see cref="NoPts"/> when unknown).</summary>
    public static long FrameTimestamp(IntPtr frame) => *(long*)((byte*)frame + FrameBestEffortTimestamp);
}

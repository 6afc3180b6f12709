namespace ConstCl.Video.Ffmpeg;

/// <summary>Which FFmpeg object an <see cref="FfmpegHandle"/> owns, and so which free function releases it.</summary>
internal enum FfmpegHandleKind
{
    /// <summary>An <c>AVFormatContext</c> from <c>avformat_open_input</c>: <c>avformat_close_input</c>.</summary>
    FormatContext,

    /// <summary>An <c>AVCodecContext</c>: <c>avcodec_free_context</c>.</summary>
    CodecContext,

    /// <summary>An <c>AVPacket</c> from <c>av_packet_alloc</c>: <c>av_packet_free</c>.</summary>
    Packet,

    /// <summary>An <c>AVFrame</c> from <c>av_frame_alloc</c>: <c>av_frame_free</c>.</summary>
    Frame,

    /// <summary>A <c>SwsContext</c>: <c>sws_freeContext</c>.</summary>
    ScaleContext,
}

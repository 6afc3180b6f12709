/* Prints the struct offsets and constants ConstCl's FFmpeg back-end reads (src/ConstCl.Core/Video/Ffmpeg/FfmpegAbi.cs).
 * Build and run against the FFmpeg headers of the major versions to support, e.g. on Debian 12 (FFmpeg 5.1):
 *   apt-get install libavformat-dev libavcodec-dev libswscale-dev libavutil-dev
 *   gcc tools/ffmpeg-abi/offsets.c -o /tmp/offsets && /tmp/offsets
 * The output is the table pinned in FfmpegAbi.cs for that set of major versions; never guess an offset. */
#include <stddef.h>
#include <stdio.h>
#include <libavformat/avformat.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>

#define OFF(T, F) printf("%-40s %zu\n", #T "." #F, offsetof(T, F))
#define SZ(T) printf("%-40s %zu\n", "sizeof(" #T ")", sizeof(T))
#define VAL(X) printf("%-40s %lld\n", #X, (long long)(X))

int main(void)
{
    VAL(LIBAVFORMAT_VERSION_MAJOR); VAL(LIBAVCODEC_VERSION_MAJOR); VAL(LIBAVUTIL_VERSION_MAJOR); VAL(LIBSWSCALE_VERSION_MAJOR);
    OFF(AVFormatContext, iformat); OFF(AVFormatContext, nb_streams); OFF(AVFormatContext, streams); OFF(AVFormatContext, duration);
    OFF(AVInputFormat, name);
    OFF(AVStream, index); OFF(AVStream, time_base); OFF(AVStream, start_time); OFF(AVStream, duration); OFF(AVStream, nb_frames);
    OFF(AVStream, avg_frame_rate); OFF(AVStream, r_frame_rate); OFF(AVStream, codecpar);
    OFF(AVCodecParameters, codec_type); OFF(AVCodecParameters, codec_id); OFF(AVCodecParameters, codec_tag);
    OFF(AVCodecParameters, format); OFF(AVCodecParameters, width); OFF(AVCodecParameters, height);
    OFF(AVPacket, pts); OFF(AVPacket, dts); OFF(AVPacket, stream_index); OFF(AVPacket, flags);
    OFF(AVFrame, data); OFF(AVFrame, linesize); OFF(AVFrame, width); OFF(AVFrame, height); OFF(AVFrame, format);
    OFF(AVFrame, pts); OFF(AVFrame, best_effort_timestamp);
    SZ(AVRational);
    VAL(AVMEDIA_TYPE_VIDEO); VAL(AV_NOPTS_VALUE); VAL(AVERROR_EOF); VAL(AVERROR(EAGAIN)); VAL(AVSEEK_FLAG_BACKWARD);
    VAL(AV_PIX_FMT_RGB24); VAL(AV_PIX_FMT_NONE); VAL(SWS_BILINEAR); VAL(SWS_BICUBIC); VAL(SWS_AREA); VAL(SWS_POINT);
    VAL(AV_CODEC_ID_NONE); VAL(AVERROR_DECODER_NOT_FOUND); VAL(AVERROR_INVALIDDATA); VAL(AVERROR_STREAM_NOT_FOUND);
    VAL(AV_LOG_ERROR); VAL(AV_TIME_BASE);
    return 0;
}

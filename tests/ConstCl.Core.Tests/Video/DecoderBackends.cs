using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

/// <summary>
/// The decoder back-ends every decode test runs against. The system FFmpeg back-end needs Debian's libavformat59,
/// libavcodec59, libavutil57 and libswscale6 (installed by .ci/run); without them its cases fail with the reason.
/// </summary>
public static class DecoderBackends
{
    /// <summary>Both concrete back-ends.</summary>
    public static readonly VideoDecoderBackend[] All = [VideoDecoderBackend.OpenCv, VideoDecoderBackend.Ffmpeg];

    /// <summary>One case per back-end.</summary>
    public static TheoryData<VideoDecoderBackend> Each()
    {
        var data = new TheoryData<VideoDecoderBackend>();
        foreach (var b in All)
        {
            data.Add(b);
        }

        return data;
    }

    /// <summary>Every (name, back-end) pair.</summary>
    public static TheoryData<string, VideoDecoderBackend> Cross(IEnumerable<string> names)
    {
        var data = new TheoryData<string, VideoDecoderBackend>();
        foreach (var name in names)
        {
            foreach (var b in All)
            {
                data.Add(name, b);
            }
        }

        return data;
    }

    /// <summary><paramref name="options"/> (default: the defaults) with <paramref name="backend"/> selected.</summary>
    public static VideoDecodeOptions With(VideoDecoderBackend backend, VideoDecodeOptions? options = null)
        => (options ?? new VideoDecodeOptions()) with { Decoder = backend };
}

using ConstCl.Video;
using ConstCl.Video.Ffmpeg;

namespace ConstCl.Core.Tests.Video;

/// <summary>How <see cref="VideoDecodeOptions.Decoder"/>, <c>CONSTCL_DECODER</c> and the libraries' presence choose the back-end.</summary>
public sealed class VideoDecoderSelectorTests
{
    private const string Missing = "libavformat.so.59 was not found (on Debian 12 / Ubuntu: apt-get install …).";

    [Fact]
    public void Auto_takes_the_system_ffmpeg_when_it_loads_and_falls_back_to_opencv_with_a_notice()
    {
        Assert.Equal((VideoDecoderBackend.Ffmpeg, null), VideoDecoderSelector.Decide(VideoDecoderBackend.Auto, null, true, string.Empty));

        var (backend, notice) = VideoDecoderSelector.Decide(VideoDecoderBackend.Auto, null, false, Missing);
        Assert.Equal(VideoDecoderBackend.OpenCv, backend);
        Assert.NotNull(notice);
        Assert.DoesNotContain('\n', notice);
        Assert.Contains("OpenCV", notice);
        Assert.Contains("libavformat.so.59 was not found", notice);
    }

    [Fact]
    public void The_fallback_notice_goes_to_the_hosts_subscribers_once_and_never_to_the_console()
    {
        var unique = $"notice {Guid.NewGuid():N}";   // other tests may decode (and fall back) in parallel
        var received = new List<string>();
        void Handler(string line)
        {
            if (line.StartsWith(unique, StringComparison.Ordinal))
            {
                lock (received)
                {
                    received.Add(line);
                }
            }
        }

        var error = Console.Error;
        using var captured = new StringWriter();
        VideoDecoderSelector.Notice += Handler;
        try
        {
            Console.SetError(captured);
            int raised = 0;
            VideoDecoderSelector.RaiseOnce(ref raised, unique + " first");
            VideoDecoderSelector.RaiseOnce(ref raised, unique + " second");
        }
        finally
        {
            Console.SetError(error);
            VideoDecoderSelector.Notice -= Handler;
        }

        Assert.Equal([unique + " first"], received);
        Assert.DoesNotContain(unique, captured.ToString());
    }

    [Fact]
    public void An_explicit_choice_wins_and_a_missing_ffmpeg_is_refused_with_the_reason()
    {
        Assert.Equal((VideoDecoderBackend.OpenCv, null), VideoDecoderSelector.Decide(VideoDecoderBackend.OpenCv, null, true, string.Empty));
        Assert.Equal((VideoDecoderBackend.OpenCv, null), VideoDecoderSelector.Decide(VideoDecoderBackend.OpenCv, VideoDecoderBackend.Ffmpeg, true, string.Empty));
        Assert.Equal((VideoDecoderBackend.OpenCv, null), VideoDecoderSelector.Decide(VideoDecoderBackend.Auto, VideoDecoderBackend.OpenCv, true, string.Empty));
        var e = Assert.Throws<NotSupportedException>(() => VideoDecoderSelector.Decide(VideoDecoderBackend.Ffmpeg, null, false, Missing));
        Assert.Contains("libavformat.so.59 was not found", e.Message);
        Assert.Throws<NotSupportedException>(() => VideoDecoderSelector.Decide(VideoDecoderBackend.Auto, VideoDecoderBackend.Ffmpeg, false, Missing));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("auto", null)]
    [InlineData(" OpenCV ", VideoDecoderBackend.OpenCv)]
    [InlineData("ffmpeg", VideoDecoderBackend.Ffmpeg)]
    public void The_environment_variable_is_parsed(string? text, VideoDecoderBackend? expected)
        => Assert.Equal(expected, VideoDecoderSelector.ParseEnvironmentValue(text));

    [Fact]
    public void An_unknown_environment_value_is_an_error_naming_the_variable()
    {
        var e = Assert.Throws<ArgumentException>(() => VideoDecoderSelector.ParseEnvironmentValue("gstreamer"));
        Assert.Contains("CONSTCL_DECODER", e.Message);
        Assert.Contains("gstreamer", e.Message);
    }

    [Fact]
    public void A_missing_library_is_reported_by_its_soname_with_the_package_to_install()
    {
        var (library, reason) = FfmpegLibrary.Load([("avutil", "libavutil.so.57"), ("avformat", "libavformat.so.999")]);
        Assert.Null(library);
        Assert.Contains("libavformat.so.999 was not found", reason);
        Assert.Contains("apt-get install libavformat59", reason);
    }

    [Fact]
    public void Unknown_decoder_values_are_rejected_by_validation()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoDecodeOptions { Decoder = (VideoDecoderBackend)7 }.Validate());
    }
}

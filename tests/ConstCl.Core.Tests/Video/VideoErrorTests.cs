using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

public sealed class VideoErrorTests : IClassFixture<VideoFilesFixture>, IDisposable
{
    private readonly VideoFilesFixture _files;
    private readonly string _dir = TestVideos.NewTempDir();

    public VideoErrorTests(VideoFilesFixture files) => _files = files;

    public void Dispose() => Directory.Delete(_dir, true);

    public static TheoryData<VideoDecoderBackend> Backends() => DecoderBackends.Each();

    private static VideoDecodeException AssertKind(VideoErrorKind kind, string path, VideoDecoderBackend backend)
    {
        var e = Assert.Throws<VideoDecodeException>(() => VideoReader.Open(path, DecoderBackends.With(backend)).Dispose());
        Assert.Equal(kind, e.Kind);
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        Assert.StartsWith(kind.ToString(), e.Message);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
        return e;
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Missing_file_and_missing_folder(VideoDecoderBackend backend)
    {
        AssertKind(VideoErrorKind.Missing, Path.Combine(_dir, "nope.avi"), backend);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Zero_byte_file_is_empty(VideoDecoderBackend backend)
    {
        var path = Path.Combine(_dir, "zero.avi");
        File.WriteAllBytes(path, []);
        AssertKind(VideoErrorKind.Empty, path, backend);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Random_bytes_are_not_a_video(VideoDecoderBackend backend)
    {
        var path = Path.Combine(_dir, "noise.mp4");
        var bytes = new byte[10_000];
        new Random(5).NextBytes(bytes);
        bytes[0] = 0x42; // never a valid start code or box by chance
        File.WriteAllBytes(path, bytes);
        AssertKind(VideoErrorKind.NotAVideo, path, backend);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_png_with_a_video_extension_is_not_a_video(VideoDecoderBackend backend)
    {
        var path = Path.Combine(_dir, "image.avi");
        using (var m = TestVideos.PatternFrame(3))
        {
            OpenCvSharp.Cv2.ImEncode(".png", m, out var png);
            File.WriteAllBytes(path, png);
        }

        var e = AssertKind(VideoErrorKind.NotAVideo, path, backend);
        Assert.Contains("PNG", e.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_text_file_with_a_video_extension_is_not_a_video(VideoDecoderBackend backend)
    {
        var path = Path.Combine(_dir, "notes.webm");
        File.WriteAllText(path, "this is not a video\n");
        AssertKind(VideoErrorKind.NotAVideo, path, backend);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void An_mp4_cut_in_half_is_truncated(VideoDecoderBackend backend)
    {
        // OpenCV writes the MP4 index ('moov') at the end: half the file has no index.
        var full = File.ReadAllBytes(_files.PathOf("mp4v.mp4"));
        var path = Path.Combine(_dir, "half.mp4");
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var e = AssertKind(VideoErrorKind.Truncated, path, backend);
        Assert.Contains("moov", e.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void An_avi_cut_inside_its_header_is_truncated(VideoDecoderBackend backend)
    {
        var full = File.ReadAllBytes(_files.PathOf("xvid.avi"));
        int movi = TestVideos.IndexOf(full, "movi", 0);
        var path = Path.Combine(_dir, "header-only.avi");
        File.WriteAllBytes(path, full[..(movi + 4)]);
        var e = AssertKind(VideoErrorKind.Truncated, path, backend);
        Assert.Contains("RIFF", e.Message);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void An_unknown_codec_is_unsupported(VideoDecoderBackend backend)
    {
        var path = Path.Combine(_dir, "zzzz.avi");
        File.Copy(_files.PathOf("xvid.avi"), path);
        TestVideos.PatchAviFourCC(path, "ZZZZ");
        var e = AssertKind(VideoErrorKind.UnsupportedCodec, path, backend);
        Assert.Contains("ZZZZ", e.Message);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoDecodeOptions { ShortSide = -1 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoDecodeOptions { TimeLimit = TimeSpan.Zero }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new VideoDecodeOptions { SeekThreshold = 0 }.Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoReader.ReadClip(_files.PathOf("mjpg.avi"), [1, -2]));
        Assert.Same(VideoDecodeOptions.Default, VideoDecodeOptions.Default.Validate());
    }
}

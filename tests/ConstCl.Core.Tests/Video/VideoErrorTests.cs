using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

public sealed class VideoErrorTests : IClassFixture<VideoFilesFixture>, IDisposable
{
    private readonly VideoFilesFixture _files;
    private readonly string _dir = TestVideos.NewTempDir();

    public VideoErrorTests(VideoFilesFixture files) => _files = files;

    public void Dispose() => Directory.Delete(_dir, true);

    private static VideoDecodeException AssertKind(VideoErrorKind kind, string path)
    {
        var e = Assert.Throws<VideoDecodeException>(() => VideoReader.Open(path).Dispose());
        Assert.Equal(kind, e.Kind);
        Assert.Equal(path, e.Path);
        Assert.Contains(path, e.Message);
        Assert.StartsWith(kind.ToString(), e.Message);
        Assert.False(string.IsNullOrWhiteSpace(e.Reason));
        return e;
    }

    [Fact]
    public void Missing_file_and_missing_folder()
    {
        AssertKind(VideoErrorKind.Missing, Path.Combine(_dir, "nope.avi"));
    }

    [Fact]
    public void Zero_byte_file_is_empty()
    {
        var path = Path.Combine(_dir, "zero.avi");
        File.WriteAllBytes(path, []);
        AssertKind(VideoErrorKind.Empty, path);
    }

    [Fact]
    public void Random_bytes_are_not_a_video()
    {
        var path = Path.Combine(_dir, "noise.mp4");
        var bytes = new byte[10_000];
        new Random(5).NextBytes(bytes);
        bytes[0] = 0x42; // never a valid start code or box by chance
        File.WriteAllBytes(path, bytes);
        AssertKind(VideoErrorKind.NotAVideo, path);
    }

    [Fact]
    public void A_png_with_a_video_extension_is_not_a_video()
    {
        var path = Path.Combine(_dir, "image.avi");
        using (var m = TestVideos.PatternFrame(3))
        {
            OpenCvSharp.Cv2.ImEncode(".png", m, out var png);
            File.WriteAllBytes(path, png);
        }

        var e = AssertKind(VideoErrorKind.NotAVideo, path);
        Assert.Contains("PNG", e.Message);
    }

    [Fact]
    public void A_text_file_with_a_video_extension_is_not_a_video()
    {
        var path = Path.Combine(_dir, "notes.webm");
        File.WriteAllText(path, "this is not a video\n");
        AssertKind(VideoErrorKind.NotAVideo, path);
    }

    [Fact]
    public void An_mp4_cut_in_half_is_truncated()
    {
        // OpenCV writes the MP4 index ('moov') at the end: half the file has no index.
        var full = File.ReadAllBytes(_files.PathOf("mp4v.mp4"));
        var path = Path.Combine(_dir, "half.mp4");
        File.WriteAllBytes(path, full[..(full.Length / 2)]);
        var e = AssertKind(VideoErrorKind.Truncated, path);
        Assert.Contains("moov", e.Message);
    }

    [Fact]
    public void An_avi_cut_inside_its_header_is_truncated()
    {
        var full = File.ReadAllBytes(_files.PathOf("xvid.avi"));
        int movi = TestVideos.IndexOf(full, "movi", 0);
        var path = Path.Combine(_dir, "header-only.avi");
        File.WriteAllBytes(path, full[..(movi + 4)]);
        var e = AssertKind(VideoErrorKind.Truncated, path);
        Assert.Contains("RIFF", e.Message);
    }

    [Fact]
    public void An_unknown_codec_is_unsupported()
    {
        var path = Path.Combine(_dir, "zzzz.avi");
        File.Copy(_files.PathOf("xvid.avi"), path);
        TestVideos.PatchAviFourCC(path, "ZZZZ");
        var e = AssertKind(VideoErrorKind.UnsupportedCodec, path);
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

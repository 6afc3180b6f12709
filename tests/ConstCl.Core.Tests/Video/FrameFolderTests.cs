using ConstCl.Video;
using OpenCvSharp;

namespace ConstCl.Core.Tests.Video;

public sealed class FrameFolderTests : IDisposable
{
    private readonly string _dir = TestVideos.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    private string WriteFolder(string name, int frames, string ext)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < frames; i++)
        {
            using var m = TestVideos.PatternFrame(i);
            Cv2.ImWrite(Path.Combine(folder, $"img_{i + 1}{ext}"), m); // img_1 … img_12: natural order needed
        }

        File.WriteAllText(Path.Combine(folder, "notes.txt"), "ignored");
        return folder;
    }

    [Theory]
    [InlineData(".png")]
    [InlineData(".jpg")]
    public void Frames_are_read_in_natural_file_name_order(string ext)
    {
        var folder = WriteFolder("clip" + ext.TrimStart('.'), 12, ext);
        using var source = VideoReader.Open(folder);
        Assert.Equal("frames", source.Info.Container);
        Assert.Equal(12, source.Info.HeaderFrameCount);
        Assert.Equal(12, source.CountFrames());
        Assert.Equal(12, source.Scan().DecodableFrames);

        int[] request = [11, 0, 9, 10, 1, 13]; // 13 wraps to 1
        var clip = source.ReadFrames(request);
        Assert.Equal([11, 0, 9, 10, 1, 1], TestVideos.DecodeIndices(clip));
        Assert.Equal([11, 0, 9, 10, 1, 1], clip.FrameIndices);
    }

    [Fact]
    public void Png_frames_are_exact_rgb_and_resized_by_short_side()
    {
        var folder = Path.Combine(_dir, "portrait");
        Directory.CreateDirectory(folder);
        using (var m = new Mat(64, 48, MatType.CV_8UC3, new Scalar(255, 0, 0))) // portrait 48×64, pure blue (BGR)
        {
            Cv2.ImWrite(Path.Combine(folder, "0.png"), m);
        }

        var native = VideoReader.ReadClip(folder, [0]);
        Assert.Equal((48, 64), (native.Width, native.Height));
        Assert.Equal(new byte[] { 0, 0, 255 }, native.Frames[0][..3]); // RGB

        var small = VideoReader.ReadClip(folder, [0], new VideoDecodeOptions { ShortSide = 24 });
        Assert.Equal((24, 32), (small.Width, small.Height));
        Assert.All(Enumerable.Range(0, 24 * 32), p => Assert.Equal(255, small.Frames[0][(p * 3) + 2]));
    }

    [Fact]
    public void Empty_and_missing_folders_and_bad_frames_are_typed_errors()
    {
        var empty = Path.Combine(_dir, "empty");
        Directory.CreateDirectory(empty);
        Assert.Equal(VideoErrorKind.Empty, Assert.Throws<VideoDecodeException>(() => VideoReader.Open(empty)).Kind);

        var folder = WriteFolder("broken", 3, ".png");
        File.WriteAllText(Path.Combine(folder, "img_2.png"), "not a png");
        using var source = VideoReader.Open(folder);
        Assert.Equal(2, source.Scan().DecodableFrames);
        var e = Assert.Throws<VideoDecodeException>(() => source.ReadFrames([1]));
        Assert.Equal(VideoErrorKind.Unreadable, e.Kind);
        Assert.Contains("img_2.png", e.Message);
    }

    [Fact]
    public void Natural_comparer_orders_digit_runs_numerically()
    {
        string[] names = ["f10.png", "f2.png", "f1.png", "f02b.png", "e9.png"];
        Assert.Equal(["e9.png", "f1.png", "f2.png", "f02b.png", "f10.png"], names.Order(NaturalComparer.Instance));
    }
}

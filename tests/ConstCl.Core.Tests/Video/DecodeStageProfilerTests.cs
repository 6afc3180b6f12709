using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

public sealed class DecodeStageProfilerTests : IClassFixture<VideoFilesFixture>
{
    private readonly VideoFilesFixture _files;

    public DecodeStageProfilerTests(VideoFilesFixture files) => _files = files;

    [Fact]
    public void Stages_are_cumulative_passes_over_every_frame()
    {
        var resized = DecodeStageProfiler.Measure(_files.PathOf("xvid.avi"), new VideoDecodeOptions { ShortSide = 24 }, repeats: 1);
        Assert.Equal(["grab", "retrieve", "resize", "rgb"], resized.Select(s => s.Name));
        Assert.All(resized, s => Assert.Equal(40, s.Frames)); // the fixture videos hold 40 frames
        Assert.All(resized, s => Assert.True(s.CpuMillisecondsPerFrame >= 0 && s.WallMillisecondsPerFrame > 0));

        // At the native size there is nothing to resize.
        var native = DecodeStageProfiler.Measure(_files.PathOf("mjpg.avi"), VideoDecodeOptions.Default, repeats: 1);
        Assert.Equal(["grab", "retrieve", "rgb"], native.Select(s => s.Name));
    }

    [Fact]
    public void A_missing_file_fails_before_any_timing()
    {
        var e = Assert.Throws<VideoDecodeException>(() => DecodeStageProfiler.Measure(Path.Combine(_files.Dir, "none.avi"), VideoDecodeOptions.Default, 1));
        Assert.Equal(VideoErrorKind.Missing, e.Kind);
    }
}

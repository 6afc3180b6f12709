using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Embedding;

public sealed class EvaluationClipsTests
{
    /// <summary>Frames whose pixel (x, y) of frame f is (R, G, B) = (x, y, 10·f): every value says where it came from.</summary>
    internal static FrameSequence CoordinateVideo(int frames, int width, int height)
    {
        var list = new List<byte[]>();
        for (int f = 0; f < frames; f++)
        {
            var frame = new byte[width * height * 3];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int i = ((y * width) + x) * 3;
                    frame[i] = (byte)x;
                    frame[i + 1] = (byte)y;
                    frame[i + 2] = (byte)(10 * f);
                }
            }

            list.Add(frame);
        }

        return new FrameSequence(list, width, height);
    }

    private static float At(float[] data, long[] shape, int view, int ch, int f, int y, int x) =>
        data[((((((view * shape[1]) + ch) * shape[2]) + f) * shape[3] + y) * shape[4]) + x];

    private static float Scaled(int level) => (level * (2f / 255f)) - 1f;

    [Fact]
    public void Shape_is_views_by_channels_by_frames_by_size()
    {
        var spec = new EvaluationClipSpec { ClipCount = 2, CropCount = 3, FramesPerClip = 4, FrameStride = 1, Size = 32 };
        var (data, shape) = EvaluationClips.Prepare(CoordinateVideo(10, 48, 32), spec);
        Assert.Equal(new long[] { 6, 3, 4, 32, 32 }, shape);
        Assert.Equal(6 * 3 * 4 * 32 * 32, data.Length);
    }

    [Fact]
    public void Three_crops_of_a_landscape_frame_are_left_centre_right_exactly()
    {
        // H = S: no resize, so every value is an exact source pixel; the long side 48 leaves 16 pixels: offsets 0, 8, 16.
        var spec = new EvaluationClipSpec { ClipCount = 1, CropCount = 3, FramesPerClip = 2, FrameStride = 1, Size = 32 };
        var (data, shape) = EvaluationClips.Prepare(CoordinateVideo(2, 48, 32), spec);
        int[] offsets = [0, 8, 16];
        for (int crop = 0; crop < 3; crop++)
        {
            foreach (var (x, y) in new[] { (0, 0), (31, 0), (5, 17), (31, 31) })
            {
                Assert.Equal(Scaled(x + offsets[crop]), At(data, shape, crop, 0, 1, y, x));
                Assert.Equal(Scaled(y), At(data, shape, crop, 1, 1, y, x));
                Assert.Equal(Scaled(10), At(data, shape, crop, 2, 1, y, x));
            }
        }
    }

    [Fact]
    public void Three_crops_of_a_portrait_frame_are_top_centre_bottom_and_one_crop_is_the_centre()
    {
        var spec = new EvaluationClipSpec { ClipCount = 1, CropCount = 3, FramesPerClip = 1, FrameStride = 1, Size = 16 };
        var (data, shape) = EvaluationClips.Prepare(CoordinateVideo(1, 16, 26), spec);
        int[] offsets = [0, 5, 10];
        for (int crop = 0; crop < 3; crop++)
        {
            Assert.Equal(Scaled(offsets[crop]), At(data, shape, crop, 1, 0, 0, 3));
            Assert.Equal(Scaled(15 + offsets[crop]), At(data, shape, crop, 1, 0, 15, 3));
            Assert.Equal(Scaled(3), At(data, shape, crop, 0, 0, 15, 3));
        }

        var (centre, centreShape) = EvaluationClips.Prepare(CoordinateVideo(1, 16, 26), spec with { CropCount = 1 });
        Assert.Equal(new long[] { 1, 3, 1, 16, 16 }, centreShape);
        Assert.Equal(Scaled(5), At(centre, centreShape, 0, 1, 0, 0, 0));
    }

    [Fact]
    public void Clip_starts_are_linearly_spaced_and_frames_strided()
    {
        // 20 frames, T·s = 8: offsets int(linspace(0, 12, 3)) = 0, 6, 12 (official sample_linspace_sequence).
        var spec = new EvaluationClipSpec { ClipCount = 3, CropCount = 1, FramesPerClip = 4, FrameStride = 2, Size = 8 };
        var prepared = EvaluationClips.PrepareWithIndices(CoordinateVideo(20, 8, 8), spec);
        Assert.Equal(new[] { 0, 2, 4, 6 }, prepared.FrameIndices[0]);
        Assert.Equal(new[] { 6, 8, 10, 12 }, prepared.FrameIndices[1]);
        Assert.Equal(new[] { 12, 14, 16, 18 }, prepared.FrameIndices[2]);
        for (int k = 0; k < 3; k++)
        {
            for (int f = 0; f < 4; f++)
            {
                Assert.Equal(Scaled(10 * prepared.FrameIndices[k][f]), At(prepared.Data, prepared.Shape, k, 2, f, 4, 4));
            }
        }
    }

    [Fact]
    public void Values_are_mapped_to_minus_one_one_or_zero_one()
    {
        var spec = new EvaluationClipSpec { ClipCount = 1, CropCount = 1, FramesPerClip = 1, FrameStride = 1, Size = 16 };
        var (signed, shape) = EvaluationClips.Prepare(CoordinateVideo(1, 16, 16), spec);
        var (unit, _) = EvaluationClips.Prepare(CoordinateVideo(1, 16, 16), spec with { ZeroCenter = false });
        Assert.Equal(-1f, At(signed, shape, 0, 0, 0, 0, 0));
        Assert.Equal((15 * (1f / 255f)) + 0f, At(unit, shape, 0, 0, 0, 0, 15));
        Assert.Equal(Scaled(15), At(signed, shape, 0, 1, 0, 15, 0));
        Assert.All(signed, v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Halving_resize_averages_two_by_two_blocks()
    {
        // 32×32 → 16: half-pixel centres put output i at source 2i + 0.5, the mean of pixels 2i and 2i + 1 on each axis.
        var spec = new EvaluationClipSpec { ClipCount = 1, CropCount = 1, FramesPerClip = 1, FrameStride = 1, Size = 16, ZeroCenter = false };
        var (data, shape) = EvaluationClips.Prepare(CoordinateVideo(1, 32, 32), spec);
        for (int i = 0; i < 16; i++)
        {
            Assert.Equal((2 * i + 0.5f) / 255f, At(data, shape, 0, 0, 0, 3, i), 5);
            Assert.Equal((2 * i + 0.5f) / 255f, At(data, shape, 0, 1, 0, i, 3), 5);
        }
    }

    [Fact]
    public void Area_resize_averages_every_source_pixel_where_bilinear_samples_a_few()
    {
        // 64×64 noise → 16²: the area view is the 4×4 block mean (brute force, ±1 level of rounding); the bilinear view reads
        // only the block's two middle pixels on each axis, so it misses the mean by tens of levels.
        var random = new Random(5);
        var frame = new byte[64 * 64 * 3];
        random.NextBytes(frame);
        var video = new FrameSequence([frame], 64, 64);
        var linear = new EvaluationClipSpec { ClipCount = 1, CropCount = 1, FramesPerClip = 1, FrameStride = 1, Size = 16, ZeroCenter = false };
        var (areaData, shape) = EvaluationClips.Prepare(video, linear with { Resize = FrameResizeMode.Area });
        var (linearData, _) = EvaluationClips.Prepare(video, linear);
        double areaWorst = 0, linearMean = 0;
        for (int ch = 0; ch < 3; ch++)
        {
            for (int y = 0; y < 16; y++)
            {
                for (int x = 0; x < 16; x++)
                {
                    double sum = 0;
                    for (int dy = 0; dy < 4; dy++)
                    {
                        for (int dx = 0; dx < 4; dx++)
                        {
                            sum += frame[((((4 * y) + dy) * 64) + (4 * x) + dx) * 3 + ch];
                        }
                    }

                    double boxMean = sum / 16;
                    areaWorst = Math.Max(areaWorst, Math.Abs((At(areaData, shape, 0, ch, 0, y, x) * 255) - boxMean));
                    linearMean += Math.Abs((At(linearData, shape, 0, ch, 0, y, x) * 255) - boxMean) / (3 * 16 * 16);
                }
            }
        }

        Assert.InRange(areaWorst, 0, 1.0);
        Assert.True(linearMean > 20, $"bilinear is {linearMean:0.0} levels from the block mean on average; expected aliasing (> 20)");
    }

    [Fact]
    public void Resize_is_area_for_model_protocols_and_linear_for_texts_written_before_it_existed()
    {
        var spec = EvaluationClipSpec.ForModel(ConstCl.Modeling.ConstClModelOptions.Small, clipCount: 4, cropCount: 1);
        Assert.Equal(FrameResizeMode.Area, spec.Resize);
        Assert.Equal("clips=4;crops=1;frames=8;stride=2;size=64;range=-1..1;resize=area", spec.ToSpecString());
        Assert.Equal(FrameResizeMode.Linear, EvaluationClipSpec.Parse("clips=4;crops=1;frames=8;stride=2;size=64;range=-1..1").Resize);
        Assert.Equal(FrameResizeMode.Linear, EvaluationClipSpec.Cvrl.Resize);
        var ex = Assert.Throws<FormatException>(() => EvaluationClipSpec.Parse("clips=4;resize=cubic"));
        Assert.Contains("resize must be 'linear' or 'area'", ex.Message);
        Assert.Throws<ArgumentException>(() => (spec with { Resize = (FrameResizeMode)7 }).Validate());
    }

    [Fact]
    public void File_and_in_memory_paths_agree_and_spec_text_round_trips()
    {
        var dir = Path.Combine(Path.GetTempPath(), "constcl-evalclips-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 1, Frames = 6, Size = 32 }).WriteFiles(dir);
            var path = Directory.GetFiles(files.Directory, "*.avi", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
            var spec = EvaluationClipSpec.Parse("clips=2;crops=3;frames=4;stride=1;size=24");
            Assert.Equal(spec, EvaluationClipSpec.Parse(spec.ToSpecString()));
            var fromFile = EvaluationClips.PrepareWithIndices(path, spec);
            var all = VideoReader.ReadClip(path, Enumerable.Range(0, 6).ToArray());
            var fromMemory = EvaluationClips.PrepareWithIndices(all, spec);
            Assert.Equal(new long[] { 6, 3, 4, 24, 24 }, fromFile.Shape);
            Assert.Equal(new[] { 0, 1, 2, 3 }, fromFile.FrameIndices[0]);
            Assert.Equal(new[] { 2, 3, 4, 5 }, fromFile.FrameIndices[1]);
            Assert.Equal(fromMemory.Data, fromFile.Data);

            // Area: the file decoded at short side S and the frames in memory resized here give the same views.
            var area = spec with { Resize = FrameResizeMode.Area };
            Assert.Equal(area, EvaluationClipSpec.Parse(area.ToSpecString()));
            var areaFromFile = EvaluationClips.PrepareWithIndices(path, area);
            Assert.Equal(EvaluationClips.PrepareWithIndices(all, area).Data, areaFromFile.Data);
            Assert.NotEqual(fromFile.Data, areaFromFile.Data);
            var sparse = area with { ClipCount = 1, FramesPerClip = 2, FrameStride = 2 };   // frames 1 and 3 of 6: only those are resized
            var sparseFromMemory = EvaluationClips.PrepareWithIndices(all, sparse);
            var sparseFromFile = EvaluationClips.PrepareWithIndices(path, sparse);
            Assert.Equal(new[] { 1, 3 }, sparseFromMemory.FrameIndices[0]);
            Assert.Equal(sparseFromFile.FrameIndices[0], sparseFromMemory.FrameIndices[0]);
            Assert.Equal(sparseFromFile.Data, sparseFromMemory.Data);

            // Thread-safe: concurrent calls (as ML.NET's CustomMapping makes them) give the same arrays.
            var concurrent = new float[4][];
            Parallel.For(0, 4, i => concurrent[i] = EvaluationClips.Prepare(path, spec).Data);
            Assert.All(concurrent, d => Assert.Equal(fromFile.Data, d));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Bad_spec_and_bad_video_throw_clear_errors()
    {
        Assert.Throws<ArgumentException>(() => new EvaluationClipSpec { CropCount = 2 }.Validate());
        Assert.Throws<FormatException>(() => EvaluationClipSpec.Parse("clips=2;colour=1"));
        var path = Path.Combine(Path.GetTempPath(), "constcl-notavideo-" + Guid.NewGuid().ToString("N") + ".avi");
        File.WriteAllText(path, "not a video");
        try
        {
            var ex = Assert.Throws<VideoDecodeException>(() => EvaluationClips.Prepare(path, new EvaluationClipSpec()));
            Assert.Equal(path, ex.Path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

using ConstCl.Augmentation;

namespace ConstCl.Core.Tests.Augmentation;

public class RandomResizedCropTests
{
    // Upper 0.1 % point of chi-square with 18 degrees of freedom (standard table): 42.312.
    private const double ChiSquare999Df18 = 42.312;

    [Theory]
    [InlineData(320, 240)]
    [InlineData(224, 224)]
    [InlineData(171, 128)]
    [InlineData(64, 200)]
    public void SampledCropsSatisfyAreaAndAspectConstraints(int width, int height)
    {
        var random = new Random(width * 1000 + height);
        for (int i = 0; i < 3000; i++)
        {
            CropRect crop = RandomResizedCrop.SampleCrop(width, height, random);
            Assert.InRange(crop.X, 0, width - crop.Width);
            Assert.InRange(crop.Y, 0, height - crop.Height);
            double area = crop.Area / ((double)width * height);
            Assert.InRange(area, 0.3 - 1e-6, 1.0);

            // w = round(h·a) with a ∈ [0.5, 2], so w/h lies within 0.5/h of that range (or the full-frame fallback).
            bool fullFrame = crop.Width == width && crop.Height == height;
            double aspect = crop.Width / (double)crop.Height;
            Assert.True(fullFrame || (aspect >= 0.5 - (0.5 / crop.Height) && aspect <= 2 + (0.5 / crop.Height)), $"aspect {aspect} for {crop}");
        }
    }

    [Fact]
    public void HeightIsUniformForAFixedAspect()
    {
        // 40×40, a = 1: h_min = round(√480) = 22, h_max = 40 → h ~ U{22..40} (19 values), w = h.
        float minArea = 0.3f * 40 * 40;
        float maxArea = 40f * 40;
        var random = new Random(42);
        var counts = new int[41];
        const int draws = 19000;
        for (int i = 0; i < draws; i++)
        {
            Assert.True(RandomResizedCrop.TryGenerateCrop(40, 40, minArea, maxArea, 1f, random, out CropRect crop));
            Assert.Equal(crop.Height, crop.Width);
            counts[crop.Height]++;
        }

        Assert.Equal(0, counts[..22].Sum());
        double expected = draws / 19.0;
        double chi = counts[22..].Sum(c => (c - expected) * (c - expected) / expected);
        Assert.True(chi < ChiSquare999Df18, $"chi-square {chi:F2} for uniform heights");
    }

    [Fact]
    public void RoundingNudgeAndWidthClampFollowTheKernel()
    {
        // 320×240, a = 2 (hand-computed from sample_distorted_bounding_box_op.cc):
        // h_min = round(√(23040/2)) = 107, h_max = round(√(76800/2)) = 196 → round(392) > 320, so
        // h_max = int((320.5 − 1e-7)/2) = 160. h = 107 gives w = 214, area 22898 < 23040: nudged to 108.
        // So heights 108..160, and 108 twice as often as any other.
        float minArea = 0.3f * 320 * 240;
        float maxArea = 320f * 240;
        var random = new Random(8);
        var counts = new int[241];
        const int draws = 27000;
        for (int i = 0; i < draws; i++)
        {
            Assert.True(RandomResizedCrop.TryGenerateCrop(320, 240, minArea, maxArea, 2f, random, out CropRect crop));
            Assert.Equal(2 * crop.Height, crop.Width);
            counts[crop.Height]++;
        }

        Assert.Equal(0, counts[..108].Sum());
        Assert.Equal(0, counts[161..].Sum());
        double single = draws / 54.0;
        Assert.InRange(counts[108], 2 * single * 0.8, 2 * single * 1.2);
        Assert.InRange(counts[130], single * 0.7, single * 1.3);
    }

    [Fact]
    public void ImpossibleConstraintsFallBackToTheFullFrame()
    {
        // a = 4 on a square frame: w = round(4h) ≤ 100 → h ≤ 25 → area ≤ 2 500 < 0.9·10 000.
        var options = AugmentationOptions.Official with { CropAspectMin = 4, CropAspectMax = 4, CropAreaMin = 0.9f };
        Assert.Equal(new CropRect(0, 0, 100, 100), RandomResizedCrop.SampleCrop(100, 100, new Random(1), options));
    }

    [Fact]
    public void CropTheSizeOfTheOutputIsAnExactSlice()
    {
        var frames = TestClips.PatternFrames(3, 30, 40);
        var crop = new CropRect(5, 3, 20, 10);
        var (fromBytes, _) = RandomResizedCrop.Apply(frames, new[] { 0, 1, 2 }, crop, 10, 20);
        var (fromFloats, _) = RandomResizedCrop.Apply(Clip.FromFrames(frames), crop, 10, 20);
        var (fromFloatsRaw, _) = RandomResizedCrop.Apply(Clip.FromFrames(frames), crop, 10, 20, quantize: false);
        for (int t = 0; t < 3; t++)
        {
            for (int y = 0; y < 10; y++)
            {
                for (int x = 0; x < 20; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        float expected = TestClips.PatternValue(t, y + 3, x + 5, c) / 255f;
                        Assert.Equal(expected, TestClips.At(fromBytes, t, y, x, c));
                        Assert.Equal(expected, TestClips.At(fromFloats, t, y, x, c));
                        Assert.Equal(expected, TestClips.At(fromFloatsRaw, t, y, x, c));
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(7, 4, 23, 17, 11, 9)] // downscale
    [InlineData(2, 5, 9, 6, 20, 31)] // upscale
    [InlineData(0, 0, 40, 30, 30, 13)] // full frame, mixed
    public void ResizeMatchesBruteForceBilinear(int cx, int cy, int cw, int ch, int outH, int outW)
    {
        var frames = TestClips.PatternFrames(2, 30, 40);
        var crop = new CropRect(cx, cy, cw, ch);
        var (raw, _) = RandomResizedCrop.Apply(frames, new[] { 0, 1 }, crop, outH, outW, quantize: false);
        var (quantized, _) = RandomResizedCrop.Apply(frames, new[] { 0, 1 }, crop, outH, outW, quantize: true);
        int exactLevels = 0;
        int total = 0;
        for (int t = 0; t < 2; t++)
        {
            for (int y = 0; y < outH; y++)
            {
                for (int x = 0; x < outW; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        double reference = Bilinear(t, c, cx, cy, cw, ch, outH, outW, y, x);
                        Assert.Equal(reference / 255.0, TestClips.At(raw, t, y, x, c), 1e-5);

                        // Truncation to uint8 levels equals floor(reference), except where the exact value sits on an
                        // integer and float rounding (TF's too) may land just below it.
                        double level = TestClips.At(quantized, t, y, x, c) * 255.0;
                        Assert.Equal(Math.Round(level), level, 1e-3);
                        bool nearInteger = Math.Abs(reference - Math.Round(reference)) < 1e-3;
                        if (nearInteger)
                        {
                            Assert.InRange(Math.Round(reference) - Math.Round(level), 0.0, 1.0);
                        }
                        else
                        {
                            Assert.Equal(Math.Floor(reference), Math.Round(level));
                            exactLevels++;
                        }

                        total++;
                    }
                }
            }
        }

        Assert.True(exactLevels > total / 4, $"only {exactLevels}/{total} values away from integers");
    }

    [Fact]
    public void BoxesFollowTheClosedForm()
    {
        // 200×100 frame, crop x 10..110, y 20..70.
        var crop = new CropRect(10, 20, 100, 50);
        float[] boxes = [0.1f, 0.3f, 0.5f, 0.6f, 0f, 0f, 0.9f, 0.95f];
        var clip = new Clip(1, 100, 200);
        var (_, moved) = RandomResizedCrop.Apply(clip, crop, 25, 50, boxes);
        Assert.NotNull(moved);
        // x' = (x·200 − 10)/100, y' = (y·100 − 20)/50, clipped to [0, 1].
        float[] expected = [0.1f, 0.2f, 0.9f, 0.8f, 0f, 0f, 1f, 1f];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], moved![i], 1e-5);
        }

        Assert.Equal(0.1f, boxes[0]); // input untouched
    }

    [Fact]
    public void BoxesTrackTheContentTheyCover()
    {
        // A white rectangle on black; after crop + resize the moved box must still frame it.
        var frame = new byte[60 * 80 * 3];
        for (int y = 15; y < 35; y++)
        {
            for (int x = 30; x < 50; x++)
            {
                frame[((y * 80) + x) * 3] = 255;
            }
        }

        var frames = new ConstCl.Video.FrameSequence(new[] { frame }, 80, 60);
        float[] box = [30f / 80, 15f / 60, 50f / 80, 35f / 60];
        var crop = new CropRect(20, 10, 40, 30);
        var (clip, moved) = RandomResizedCrop.Apply(frames, new[] { 0 }, crop, 30, 40, box);
        // Output = crop size: pixel (x, y) is inside the box iff the red channel is 1.
        for (int y = 0; y < 30; y++)
        {
            for (int x = 0; x < 40; x++)
            {
                float cx = (x + 0.5f) / 40;
                float cy = (y + 0.5f) / 30;
                bool inside = cx > moved![0] && cx < moved[2] && cy > moved[1] && cy < moved[3];
                Assert.Equal(inside ? 1f : 0f, TestClips.At(clip, 0, y, x, 0));
            }
        }
    }

    [Fact]
    public void BadInputThrows()
    {
        var clip = new Clip(1, 10, 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomResizedCrop.Apply(clip, new CropRect(5, 5, 6, 2), 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomResizedCrop.Apply(clip, new CropRect(0, 0, 4, 4), 0, 4));
        Assert.Throws<ArgumentException>(() => RandomResizedCrop.Apply(clip, new CropRect(0, 0, 4, 4), 4, 4, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomResizedCrop.SampleCrop(0, 10, new Random(1)));
    }

    // Independent formulation (PyTorch area_pixel_compute_source_index for bilinear, align_corners=False):
    // src = max(0, (i + 0.5)·in/out − 0.5), i0 = floor(src), i1 = min(i0 + 1, in − 1), λ = src − i0.
    private static double Bilinear(int t, int c, int cx, int cy, int cw, int ch, int outH, int outW, int y, int x)
    {
        (int y0, int y1, double ly) = Source(y, ch, outH);
        (int x0, int x1, double lx) = Source(x, cw, outW);
        double P(int yy, int xx) => TestClips.PatternValue(t, cy + yy, cx + xx, c);
        return ((1 - ly) * (((1 - lx) * P(y0, x0)) + (lx * P(y0, x1)))) + (ly * (((1 - lx) * P(y1, x0)) + (lx * P(y1, x1))));

        static (int, int, double) Source(int i, int inSize, int outSize)
        {
            double src = Math.Max(0, ((i + 0.5) * inSize / outSize) - 0.5);
            int i0 = (int)Math.Floor(src);
            int i1 = Math.Min(i0 + 1, inSize - 1);
            return (i0, i1, src - i0);
        }
    }
}

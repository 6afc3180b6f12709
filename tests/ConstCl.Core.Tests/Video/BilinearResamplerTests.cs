using ConstCl.Augmentation;
using ConstCl.Embedding;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

/// <summary>
/// Pins the bits of both users of the one bilinear resampler against brute-force re-implementations that spell out the
/// float operations in their order: <c>top = l + (r − l)·lx</c>, <c>bottom</c> likewise, <c>v = top + (bottom − top)·ly</c>.
/// The evaluation path (resize the frame, then cut the window) computes its taps in double; the augmentation path
/// (cut the window, then resize it, as TF) in float. Equality is exact.
/// </summary>
public sealed class BilinearResamplerTests
{
    private static FrameSequence RandomFrames(int count, int width, int height, int seed)
    {
        var random = new Random(seed);
        var list = new List<byte[]>();
        for (int f = 0; f < count; f++)
        {
            var frame = new byte[width * height * 3];
            random.NextBytes(frame);
            list.Add(frame);
        }

        return new FrameSequence(list, width, height);
    }

    [Theory]
    [InlineData(37, 23, 16, 3, true)]   // landscape, shrink, three crops
    [InlineData(19, 41, 24, 3, false)]  // portrait, enlarge
    [InlineData(30, 30, 17, 1, true)]   // square, odd ratio, centre crop
    public void Evaluation_clips_equal_the_brute_force_resize_then_crop(int width, int height, int size, int crops, bool zeroCenter)
    {
        var video = RandomFrames(3, width, height, seed: width * 100 + height);
        var spec = new EvaluationClipSpec { ClipCount = 1, CropCount = crops, FramesPerClip = 3, FrameStride = 1, Size = size, ZeroCenter = zeroCenter };
        var prepared = EvaluationClips.PrepareWithIndices(video, spec);
        var (offsets, rw, rh) = EvaluationClips.CropWindows(width, height, size, crops);
        float scale = zeroCenter ? 2f / 255f : 1f / 255f;
        float offset = zeroCenter ? -1f : 0f;
        for (int crop = 0; crop < crops; crop++)
        {
            for (int f = 0; f < 3; f++)
            {
                byte[] src = video.Frames[prepared.FrameIndices[0][f]];
                for (int y = 0; y < size; y++)
                {
                    var (y0, y1, ly) = DoubleTap(height, rh, offsets[crop].Y + y);
                    for (int x = 0; x < size; x++)
                    {
                        var (x0, x1, lx) = DoubleTap(width, rw, offsets[crop].X + x);
                        for (int ch = 0; ch < 3; ch++)
                        {
                            float v = Lerp2(src, width, x0, x1, lx, y0, y1, ly, ch);
                            float expected = (v * scale) + offset;
                            long i = (((((long)crop * 3) + ch) * 3 + f) * size + y) * size + x;
                            Assert.Equal(expected, prepared.Data[i]);
                        }
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(7, 4, 23, 17, 11, 9, true)]    // downscale
    [InlineData(2, 5, 9, 6, 20, 31, false)]   // upscale
    [InlineData(0, 0, 40, 30, 30, 13, true)]  // full frame, mixed
    public void Random_resized_crop_equals_the_brute_force_crop_then_resize(int cx, int cy, int cw, int chh, int outH, int outW, bool quantize)
    {
        var frames = RandomFrames(2, 40, 30, seed: cx + cy + outW);
        var crop = new CropRect(cx, cy, cw, chh);
        var (fromBytes, _) = RandomResizedCrop.Apply(frames, new[] { 1, 0 }, crop, outH, outW, quantize: quantize);

        var clip = new Clip(2, 30, 40);
        var random = new Random(cw * chh);
        for (int i = 0; i < clip.Data.Length; i++)
        {
            clip.Data[i] = random.NextSingle();
        }

        var (fromFloats, _) = RandomResizedCrop.Apply(clip, crop, outH, outW, quantize: quantize);
        for (int t = 0; t < 2; t++)
        {
            byte[] src = frames.Frames[1 - t];
            float[] unit = clip.Data.AsSpan(t * 30 * 40 * 3, 30 * 40 * 3).ToArray();
            for (int y = 0; y < outH; y++)
            {
                var (y0, y1, ly) = FloatTap(chh, outH, y);
                for (int x = 0; x < outW; x++)
                {
                    var (x0, x1, lx) = FloatTap(cw, outW, x);
                    for (int c = 0; c < 3; c++)
                    {
                        float b = Lerp2(src, 40, cx + x0, cx + x1, lx, cy + y0, cy + y1, ly, c);
                        float u = Lerp2(unit, 40, cx + x0, cx + x1, lx, cy + y0, cy + y1, ly, c);
                        float expectedBytes = quantize ? Level(b, 1f, 0f) : b * (1f / 255f);
                        float expectedFloats = quantize ? Level(u, 255f, 1e-3f) : u * 1f;
                        int i = ((((t * outH) + y) * outW) + x) * 3 + c;
                        Assert.Equal(expectedBytes, fromBytes.Data[i]);
                        Assert.Equal(expectedFloats, fromFloats.Data[i]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Both_placements_copy_pixels_exactly_at_ratio_one_and_a_short_destination_throws()
    {
        var frame = RandomFrames(1, 13, 9, seed: 4).Frames[0];
        var window = new float[5 * 6 * 3];
        foreach (var resampler in new[]
        {
            BilinearResampler.CropThenResize(x: 3, y: 2, width: 6, height: 5, outHeight: 5, outWidth: 6),
            BilinearResampler.ResizeThenWindow(13, 9, 13, 9, x0: 3, y0: 2, outWidth: 6, outHeight: 5),
        })
        {
            Array.Clear(window);
            resampler.Resample<byte>(frame, 13, window);
            for (int y = 0; y < 5; y++)
            {
                for (int x = 0; x < 6; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        Assert.Equal(frame[((((2 + y) * 13) + 3 + x) * 3) + c], window[(((y * 6) + x) * 3) + c]);
                    }
                }
            }

            Assert.Throws<ArgumentException>(() => resampler.Resample<byte>(frame, 13, new float[window.Length - 1]));
        }
    }

    // The evaluation taps: p = (i + ½)·(source/resized) − ½ in double, clamped to the frame.
    private static (int Lower, int Upper, float Lerp) DoubleTap(int source, int resized, int i)
    {
        double p = Math.Clamp(((i + 0.5) * ((double)source / resized)) - 0.5, 0, source - 1);
        int l = (int)Math.Floor(p);
        return (l, Math.Min(l + 1, source - 1), (float)(p - l));
    }

    // TF's taps: p = (i + ½)·(in/out) − ½ in float; lower/upper clamped, lerp p − ⌊p⌋ unclamped.
    private static (int Lower, int Upper, float Lerp) FloatTap(int inSize, int outSize, int i)
    {
        float p = ((i + 0.5f) * (inSize / (float)outSize)) - 0.5f;
        float floor = MathF.Floor(p);
        return (Math.Max((int)floor, 0), Math.Min((int)MathF.Ceiling(p), inSize - 1), p - floor);
    }

    private static float Lerp2(byte[] src, int width, int x0, int x1, float lx, int y0, int y1, float ly, int c) =>
        Lerp2(Array.ConvertAll(new[] { src[(((y0 * width) + x0) * 3) + c], src[(((y0 * width) + x1) * 3) + c], src[(((y1 * width) + x0) * 3) + c], src[(((y1 * width) + x1) * 3) + c] }, b => (float)b), lx, ly);

    private static float Lerp2(float[] src, int width, int x0, int x1, float lx, int y0, int y1, float ly, int c) =>
        Lerp2([src[(((y0 * width) + x0) * 3) + c], src[(((y0 * width) + x1) * 3) + c], src[(((y1 * width) + x0) * 3) + c], src[(((y1 * width) + x1) * 3) + c]], lx, ly);

    private static float Lerp2(float[] corners, float lx, float ly)
    {
        float top = corners[0] + ((corners[1] - corners[0]) * lx);
        float bottom = corners[2] + ((corners[3] - corners[2]) * lx);
        return top + ((bottom - top) * ly);
    }

    // tf.cast(float → uint8) truncates; level k is k / 255.
    private static float Level(float v, float levelScale, float epsilon)
    {
        float level = (v * levelScale) + epsilon;
        int k = level <= 0f ? 0 : level >= 255f ? 255 : (int)level;
        return k / 255f;
    }
}

using System.Numerics;
using System.Runtime.InteropServices;

namespace ConstCl.Augmentation;

/// <summary>
/// SimCLR v2 colour jitter as the official <c>color_jitter_rand</c> at strength 1: brightness, contrast,
/// saturation and hue in a random order, clipping to [0, 1] after each. The clip is treated as one tall
/// image (official <c>random_color_jitter_3d</c>), so every frame shares the parameters and the contrast
/// mean is taken per channel over all frames.
/// </summary>
public static class ColorJitter
{
    /// <summary>Applies the given parameters to a copy of the clip.</summary>
    /// <param name="clip">Clip in [0, 1]; not modified.</param>
    /// <param name="parameters">Factors and order.</param>
    public static Clip Apply(Clip clip, ColorJitterParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(parameters);
        Clip output = clip.Clone();
        ApplyInPlace(output.Data, parameters);
        return output;
    }

    /// <summary>With probability <see cref="AugmentationOptions.ColorJitterProbability"/>, draws parameters and applies them.</summary>
    /// <param name="clip">Clip in [0, 1]; not modified.</param>
    /// <param name="random">The generator.</param>
    /// <param name="options">Probability and strengths; null means <see cref="AugmentationOptions.Official"/>.</param>
    /// <returns>The new clip and the parameters used (null when the jitter was skipped).</returns>
    public static (Clip Clip, ColorJitterParameters? Parameters) Apply(Clip clip, Random random, AugmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(random);
        options ??= AugmentationOptions.Official;
        options.Validate();
        Clip output = clip.Clone();
        ColorJitterParameters? parameters = MaybeSample(random, options);
        if (parameters is not null)
        {
            ApplyInPlace(output.Data, parameters);
        }

        return (output, parameters);
    }

    /// <summary>
    /// Draws parameters: brightness ~ U[max(1 − b, 0), 1 + b], contrast ~ U[1 − c, 1 + c],
    /// saturation ~ U[1 − s, 1 + s], hue ~ U[−h, h], order shuffled when <paramref name="randomOrder"/>.
    /// A zero strength gives the identity for that operation.
    /// </summary>
    /// <param name="random">The generator.</param>
    /// <param name="brightness">Brightness strength (official 0.8).</param>
    /// <param name="contrast">Contrast strength (official 0.8).</param>
    /// <param name="saturation">Saturation strength (official 0.8).</param>
    /// <param name="hue">Hue strength (official 0.2).</param>
    /// <param name="randomOrder">Shuffle the order (official true).</param>
    public static ColorJitterParameters SampleParameters(Random random, float brightness = 0.8f, float contrast = 0.8f, float saturation = 0.8f, float hue = 0.2f, bool randomOrder = true)
    {
        ArgumentNullException.ThrowIfNull(random);
        float b = Uniform(random, MathF.Max(1f - brightness, 0f), 1f + brightness);
        float c = Uniform(random, 1f - contrast, 1f + contrast);
        float s = Uniform(random, 1f - saturation, 1f + saturation);
        float h = Uniform(random, -hue, hue);
        var order = ColorJitterParameters.FixedOrder.ToArray();
        if (randomOrder)
        {
            random.Shuffle(order);
        }

        return new ColorJitterParameters(b, c, s, h, order);
    }

    internal static ColorJitterParameters? MaybeSample(Random random, AugmentationOptions options)
    {
        if (!(random.NextDouble() < options.ColorJitterProbability))
        {
            return null;
        }

        return SampleParameters(random, options.Brightness, options.Contrast, options.Saturation, options.Hue, options.ColorJitterRandomOrder);
    }

    internal static void ApplyInPlace(Span<float> data, ColorJitterParameters p)
    {
        foreach (ColorJitterOperation op in p.Order)
        {
            switch (op)
            {
                case ColorJitterOperation.Brightness:
                    AdjustBrightness(data, p.BrightnessFactor);
                    break;
                case ColorJitterOperation.Contrast:
                    AdjustContrast(data, p.ContrastFactor);
                    break;
                case ColorJitterOperation.Saturation:
                    AdjustSaturation(data, p.SaturationFactor);
                    break;
                case ColorJitterOperation.Hue:
                    AdjustHue(data, p.HueDelta);
                    break;
                default:
                    throw new ArgumentException($"Unknown colour jitter operation {op}.", nameof(p));
            }

            ClipToUnit(data);
        }
    }

    /// <summary>x ← x·factor (SimCLR v2 brightness).</summary>
    internal static void AdjustBrightness(Span<float> data, float factor)
    {
        var vf = new Vector<float>(factor);
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(data);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] *= vf;
        }

        for (int i = vectors.Length * Vector<float>.Count; i < data.Length; i++)
        {
            data[i] *= factor;
        }
    }

    /// <summary>x ← (x − mean_c)·factor + mean_c with the mean of each channel over all pixels (TF <c>adjust_contrast</c>).</summary>
    internal static unsafe void AdjustContrast(Span<float> data, float factor)
    {
        Span<float> mean = stackalloc float[3];
        ChannelMeans(data, mean);
        float m0 = mean[0], m1 = mean[1], m2 = mean[2];
        fixed (float* start = data)
        {
            float* end = start + data.Length;
            for (float* p = start; p < end; p += 3)
            {
                p[0] = ((p[0] - m0) * factor) + m0;
                p[1] = ((p[1] - m1) * factor) + m1;
                p[2] = ((p[2] - m2) * factor) + m2;
            }
        }
    }

    /// <summary>Per-channel mean of interleaved RGB values, accumulated in double.</summary>
    internal static unsafe void ChannelMeans(ReadOnlySpan<float> data, Span<float> mean)
    {
        // Float partial sums per block of pixels, folded into double so long clips keep their precision.
        const int block = 4096;
        double r = 0, g = 0, b = 0;
        fixed (float* start = data)
        {
            float* end = start + data.Length;
            float* p = start;
            while (p < end)
            {
                float* blockEnd = Math.Min((long)(end - p), block * 3) + p;
                float sr = 0, sg = 0, sb = 0;
                for (; p < blockEnd; p += 3)
                {
                    sr += p[0];
                    sg += p[1];
                    sb += p[2];
                }

                r += sr;
                g += sg;
                b += sb;
            }
        }

        double n = data.Length / 3;
        mean[0] = (float)(r / n);
        mean[1] = (float)(g / n);
        mean[2] = (float)(b / n);
    }

    /// <summary>s ← clamp(s·factor, 0, 1) in HSV (TF <c>adjust_saturation</c> CPU kernel).</summary>
    internal static unsafe void AdjustSaturation(Span<float> data, float factor)
    {
        fixed (float* start = data)
        {
            float* end = start + data.Length;
            for (float* p = start; p < end; p += 3)
            {
                Hsv.RgbToHsv(p[0], p[1], p[2], out float h, out float s, out float v);
                s = MathF.Min(1.0f, MathF.Max(0.0f, s * factor));
                Hsv.HsvToRgb(h, s, v, out p[0], out p[1], out p[2]);
            }
        }
    }

    /// <summary>h ← (h + delta) mod 1 (TF <c>adjust_hue</c> CPU kernel, hue kept in [0, 6)).</summary>
    internal static unsafe void AdjustHue(Span<float> data, float delta)
    {
        const int channelRange = 6;
        float shift = delta * channelRange;
        fixed (float* start = data)
        {
            float* end = start + data.Length;
            for (float* p = start; p < end; p += 3)
            {
                Hsv.RgbToHvRange(p[0], p[1], p[2], out float h, out float vMin, out float vMax);
                h += shift;
                while (h < 0)
                {
                    h += channelRange;
                }

                while (h >= channelRange)
                {
                    h -= channelRange;
                }

                Hsv.HvRangeToRgb(h, vMin, vMax, out p[0], out p[1], out p[2]);
            }
        }
    }

    /// <summary>clip_by_value(x, 0, 1).</summary>
    internal static void ClipToUnit(Span<float> data)
    {
        var zero = Vector<float>.Zero;
        var one = Vector<float>.One;
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(data);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Vector.Min(Vector.Max(vectors[i], zero), one);
        }

        for (int i = vectors.Length * Vector<float>.Count; i < data.Length; i++)
        {
            data[i] = Math.Clamp(data[i], 0f, 1f);
        }
    }

    private static float Uniform(Random random, float low, float high) => low + ((high - low) * random.NextSingle());
}

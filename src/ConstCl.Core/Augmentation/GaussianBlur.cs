using System.Buffers;
using System.Numerics;

namespace ConstCl.Augmentation;

/// <summary>
/// Gaussian blur as the official <c>gaussian_blur</c>: radius <c>kernelSize / 2</c> (integer), a
/// <c>2·radius + 1</c>-tap normalised kernel <c>exp(−x²/(2σ²))</c>, applied separably (horizontal then
/// vertical) to every frame with zero <c>'SAME'</c> padding. The official kernel size is
/// <c>height / 10</c> (22 for 224, so 23 taps) and σ ~ U(0.1, 2.0) shared by all frames; probability 1.0 on
/// view 1 and 0.1 on view 2.
/// </summary>
public static class GaussianBlur
{
    /// <summary>The normalised 1-D kernel of <c>2·(kernelSize / 2) + 1</c> taps, computed in float32 as TF does.</summary>
    /// <param name="kernelSize">Official <c>height / 10</c>; an even size gives one tap more.</param>
    /// <param name="sigma">Standard deviation in pixels, positive.</param>
    public static float[] Kernel(int kernelSize, float sigma)
    {
        if (kernelSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"Kernel size must be non-negative, got {kernelSize}.");
        }

        if (!(sigma > 0) || !float.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), $"Sigma must be positive and finite, got {sigma}.");
        }

        int radius = kernelSize / 2;
        var kernel = new float[(2 * radius) + 1];
        float twoSigmaSquared = 2.0f * (sigma * sigma);
        float sum = 0f;
        for (int i = 0; i < kernel.Length; i++)
        {
            float x = i - radius;
            kernel[i] = MathF.Exp(-(x * x) / twoSigmaSquared);
            sum += kernel[i];
        }

        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= sum;
        }

        return kernel;
    }

    /// <summary>Blurs a copy of the clip with the given σ.</summary>
    /// <param name="clip">Clip <c>[T, H, W, 3]</c>; not modified.</param>
    /// <param name="sigma">Standard deviation in pixels.</param>
    /// <param name="kernelSize">Kernel size (official <c>height / 10</c>).</param>
    public static Clip Apply(Clip clip, float sigma, int kernelSize)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Clip output = clip.Clone();
        ApplyInPlace(output, Kernel(kernelSize, sigma));
        return output;
    }

    /// <summary>With probability <paramref name="probability"/> draws σ ~ U(min, max) and blurs.</summary>
    /// <param name="clip">Clip; not modified.</param>
    /// <param name="random">The generator.</param>
    /// <param name="probability">Official 1.0 for view 1, 0.1 for view 2.</param>
    /// <param name="options">σ range and kernel size; null means <see cref="AugmentationOptions.Official"/>.</param>
    /// <returns>The new clip and the σ used (null when skipped).</returns>
    public static (Clip Clip, float? Sigma) Apply(Clip clip, Random random, double probability, AugmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(random);
        options ??= AugmentationOptions.Official;
        options.Validate();
        if (!(probability >= 0 && probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), $"Probability must be in [0, 1], got {probability}.");
        }

        float? sigma = MaybeSampleSigma(random, probability, options);
        return (sigma is null ? clip.Clone() : Apply(clip, sigma.Value, options.EffectiveBlurKernelSize), sigma);
    }

    internal static float? MaybeSampleSigma(Random random, double probability, AugmentationOptions options)
    {
        if (!(random.NextDouble() < probability))
        {
            return null;
        }

        return options.BlurSigmaMin + ((options.BlurSigmaMax - options.BlurSigmaMin) * random.NextSingle());
    }

    /// <summary>Separable blur of every frame in place: a horizontal pass into scratch, a vertical pass back.</summary>
    internal static void ApplyInPlace(Clip clip, float[] kernel)
    {
        int radius = kernel.Length / 2;
        int w = clip.Width;
        int h = clip.Height;
        int rowLength = w * 3;
        int paddedLength = rowLength + (2 * radius * 3) + Vector<float>.Count;
        float[] scratch = ArrayPool<float>.Shared.Rent(clip.FrameLength);
        float[] padded = ArrayPool<float>.Shared.Rent(paddedLength);
        try
        {
            Array.Clear(padded);
            for (int t = 0; t < clip.Frames; t++)
            {
                Span<float> frame = clip.Frame(t);
                for (int y = 0; y < h; y++)
                {
                    // Zero-padded copy of the row so every tap reads in range: the 'SAME' zero padding.
                    frame.Slice(y * rowLength, rowLength).CopyTo(padded.AsSpan(radius * 3));
                    HorizontalRow(padded, kernel, scratch.AsSpan(y * rowLength, rowLength));
                }

                for (int y = 0; y < h; y++)
                {
                    VerticalRow(scratch, rowLength, h, y, kernel, frame.Slice(y * rowLength, rowLength));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    // out[i] = Σ_k kernel[k]·padded[i + 3k]: taps three floats apart on interleaved RGB.
    private static unsafe void HorizontalRow(float[] padded, float[] kernel, Span<float> output)
    {
        int n = output.Length;
        int taps = kernel.Length;
        int vectorWidth = Vector<float>.Count;
        fixed (float* src = padded)
        fixed (float* dst = output)
        fixed (float* w = kernel)
        {
            int i = 0;
            for (; i + vectorWidth <= n; i += vectorWidth)
            {
                var acc = Vector<float>.Zero;
                float* p = src + i;
                for (int k = 0; k < taps; k++, p += 3)
                {
                    acc += Vector.Load(p) * w[k];
                }

                acc.Store(dst + i);
            }

            for (; i < n; i++)
            {
                float acc = 0f;
                for (int k = 0; k < taps; k++)
                {
                    acc += src[i + (3 * k)] * w[k];
                }

                dst[i] = acc;
            }
        }
    }

    // out row y = Σ_k kernel[k]·row(y + k − r), rows outside the frame are zero.
    private static unsafe void VerticalRow(float[] source, int rowLength, int height, int y, float[] kernel, Span<float> output)
    {
        int radius = kernel.Length / 2;
        int kFirst = Math.Max(0, radius - y);
        int kLast = Math.Min(kernel.Length - 1, height - 1 - y + radius);
        int vectorWidth = Vector<float>.Count;
        fixed (float* src = source)
        fixed (float* dst = output)
        fixed (float* w = kernel)
        {
            int i = 0;
            for (; i + vectorWidth <= rowLength; i += vectorWidth)
            {
                var acc = Vector<float>.Zero;
                for (int k = kFirst; k <= kLast; k++)
                {
                    acc += Vector.Load(src + ((long)(y + k - radius) * rowLength) + i) * w[k];
                }

                acc.Store(dst + i);
            }

            for (; i < rowLength; i++)
            {
                float acc = 0f;
                for (int k = kFirst; k <= kLast; k++)
                {
                    acc += src[((long)(y + k - radius) * rowLength) + i] * w[k];
                }

                dst[i] = acc;
            }
        }
    }
}

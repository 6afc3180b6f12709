using ConstCl.Augmentation;

namespace ConstCl.Core.Tests.Augmentation;

public class GaussianBlurTests
{
    [Fact]
    public void OfficialKernelHas23TapsAndSumsToOne()
    {
        // 224 // 10 = 22 → radius 11 → 23 taps.
        float[] kernel = GaussianBlur.Kernel(224 / 10, 1.3f);
        Assert.Equal(23, kernel.Length);
        Assert.Equal(1.0, kernel.Sum(k => (double)k), 1e-6);
        double norm = Enumerable.Range(-11, 23).Sum(x => Math.Exp(-x * x / (2 * 1.3 * 1.3)));
        for (int i = 0; i < 23; i++)
        {
            Assert.Equal(Math.Exp(-(i - 11) * (i - 11) / (2 * 1.3 * 1.3)) / norm, kernel[i], 1e-6);
            Assert.Equal(kernel[i], kernel[22 - i]);
        }

        Assert.Equal(7, GaussianBlur.Kernel(64 / 10, 0.5f).Length);
    }

    [Fact]
    public void ConstantInteriorIsUnchangedAndCornersSeeZeroPadding()
    {
        const float value = 0.6f;
        var clip = new Clip(2, 40, 48);
        Array.Fill(clip.Data, value);
        const float sigma = 2.0f;
        Clip blurred = GaussianBlur.Apply(clip, sigma, 22);
        for (int t = 0; t < 2; t++)
        {
            for (int y = 11; y < 40 - 11; y++)
            {
                for (int x = 11; x < 48 - 11; x++)
                {
                    Assert.Equal(value, TestClips.At(blurred, t, y, x, 1), 1e-5);
                }
            }
        }

        // At the corner only the taps k ≥ 0 of each pass land inside: value·S², S = Σ_{k=r}^{2r} w_k.
        float[] kernel = GaussianBlur.Kernel(22, sigma);
        double s = kernel.Skip(11).Sum(k => (double)k);
        Assert.Equal(value * s * s, TestClips.At(blurred, 1, 0, 0, 2), 1e-5);
    }

    [Fact]
    public void MatchesBruteForceZeroPaddedConvolution()
    {
        Clip clip = TestClips.RandomClip(2, 9, 37, seed: 12);
        const float sigma = 1.1f;
        const int size = 6; // radius 3
        Clip blurred = GaussianBlur.Apply(clip, sigma, size);
        float[] k = GaussianBlur.Kernel(size, sigma);
        for (int t = 0; t < 2; t++)
        {
            for (int y = 0; y < 9; y++)
            {
                for (int x = 0; x < 37; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        double sum = 0;
                        for (int dy = -3; dy <= 3; dy++)
                        {
                            for (int dx = -3; dx <= 3; dx++)
                            {
                                int yy = y + dy, xx = x + dx;
                                if (yy >= 0 && yy < 9 && xx >= 0 && xx < 37)
                                {
                                    sum += k[dy + 3] * k[dx + 3] * TestClips.At(clip, t, yy, xx, c);
                                }
                            }
                        }

                        Assert.Equal(sum, TestClips.At(blurred, t, y, x, c), 1e-5);
                    }
                }
            }
        }
    }

    [Fact]
    public void ProbabilityDecidesAndSigmaStaysInRange()
    {
        Clip clip = TestClips.RandomClip(1, 8, 8, seed: 13);
        var random = new Random(14);
        for (int i = 0; i < 50; i++)
        {
            var (_, sigma) = GaussianBlur.Apply(clip, random, 1.0);
            Assert.NotNull(sigma);
            Assert.InRange(sigma!.Value, 0.1f, 2.0f);
            Assert.Null(GaussianBlur.Apply(clip, random, 0.0).Sigma);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianBlur.Kernel(22, 0f));
    }
}

namespace ConstCl.Regions;

/// <summary>
/// Separable Gaussian smoothing of an interleaved <c>[H, W, C]</c> image as
/// <c>scipy.ndimage.gaussian_filter</c> with <c>mode='reflect'</c> (half-sample symmetric:
/// <c>d c b a | a b c d | d c b a</c>) and <c>truncate=4</c>: radius <c>⌊4σ + 0.5⌋</c>, weights
/// <c>exp(−x²/2σ²)</c> normalised to sum 1, rows (axis 0) first, then columns.
/// </summary>
internal static class GaussianFilter
{
    /// <summary>Returns the smoothed copy of <paramref name="image"/>; σ ≤ 0 returns a copy.</summary>
    public static double[] Smooth(double[] image, int width, int height, int channels, double sigma)
    {
        var output = (double[])image.Clone();
        if (sigma <= 1e-15)
        {
            return output;
        }

        int radius = (int)(4.0 * sigma + 0.5);
        var w = new double[radius + 1];
        double total = 0;
        double coef = -0.5 / (sigma * sigma);
        var full = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++)
        {
            full[i + radius] = Math.Exp(coef * i * i);
        }

        foreach (double v in full)
        {
            total += v;
        }

        for (int i = 0; i <= radius; i++)
        {
            w[i] = full[i + radius] / total;
        }

        // Axis 0 (down the columns), then axis 1 (along the rows), as scipy iterates the axes.
        var line = new double[height];
        for (int x = 0; x < width; x++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int y = 0; y < height; y++)
                {
                    line[y] = output[(y * width + x) * channels + c];
                }

                for (int y = 0; y < height; y++)
                {
                    output[(y * width + x) * channels + c] = Correlate(line, y, w);
                }
            }
        }

        line = new double[width];
        for (int y = 0; y < height; y++)
        {
            for (int c = 0; c < channels; c++)
            {
                for (int x = 0; x < width; x++)
                {
                    line[x] = output[(y * width + x) * channels + c];
                }

                for (int x = 0; x < width; x++)
                {
                    output[(y * width + x) * channels + c] = Correlate(line, x, w);
                }
            }
        }

        return output;
    }

    // scipy's symmetric-kernel loop: centre term first, then the pairs outwards.
    private static double Correlate(double[] line, int i, double[] w)
    {
        double acc = line[i] * w[0];
        int r = w.Length - 1;
        if (i >= r && i + r < line.Length)
        {
            for (int j = 1; j <= r; j++)
            {
                acc += (line[i - j] + line[i + j]) * w[j];
            }

            return acc;
        }

        for (int j = 1; j <= r; j++)
        {
            acc += (line[Reflect(i - j, line.Length)] + line[Reflect(i + j, line.Length)]) * w[j];
        }

        return acc;
    }

    internal static int Reflect(int i, int n)
    {
        if (n == 1)
        {
            return 0;
        }

        int period = 2 * n;
        i %= period;
        if (i < 0)
        {
            i += period;
        }

        return i < n ? i : period - 1 - i;
    }
}

namespace ConstCl.Core.Tests.Datasets;

/// <summary>
/// Geometry of a binary object mask on a torus (the synthetic object wraps around the frame edges):
/// circular centroid, area, and second-moment orientation. Brute force over pixels.
/// </summary>
internal static class MaskGeometry
{
    /// <summary>Centroid by circular mean per axis (exact for an object narrower than half the frame and symmetric along the axis).</summary>
    internal static (double X, double Y) Centroid(byte[] mask, int size)
    {
        // Per-axis circular means only need the column and row counts.
        var cols = new int[size];
        var rows = new int[size];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (mask[(y * size) + x] != 0)
                {
                    cols[x]++;
                    rows[y]++;
                }
            }
        }

        return (CircularMean(cols, size), CircularMean(rows, size));
    }

    private static double CircularMean(int[] counts, int size)
    {
        double c = 0, s = 0;
        for (int i = 0; i < size; i++)
        {
            double a = 2 * Math.PI * (i + 0.5) / size;
            c += counts[i] * Math.Cos(a);
            s += counts[i] * Math.Sin(a);
        }

        return Mod(Math.Atan2(s, c) / (2 * Math.PI) * size, size);
    }

    internal static int Area(byte[] mask) => mask.Count(b => b != 0);

    /// <summary>Orientation of the long axis in radians (−π/2, π/2]; y grows downwards, so larger = clockwise on screen.</summary>
    internal static double Orientation(byte[] mask, int size)
    {
        (double cx, double cy) = Centroid(mask, size);
        double sxx = 0, syy = 0, sxy = 0;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                if (mask[(y * size) + x] == 0)
                {
                    continue;
                }

                double dx = Wrap(x + 0.5 - cx, size), dy = Wrap(y + 0.5 - cy, size);
                sxx += dx * dx;
                syy += dy * dy;
                sxy += dx * dy;
            }
        }

        return 0.5 * Math.Atan2(2 * sxy, sxx - syy);
    }

    /// <summary>Shortest signed difference on a circle of circumference <paramref name="m"/>.</summary>
    internal static double Wrap(double d, double m) => d - (m * Math.Round(d / m));

    private static double Mod(double v, double m) => v - (m * Math.Floor(v / m));
}

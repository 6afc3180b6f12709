namespace ConstCl.Regions;

/// <summary>
/// sRGB → CIELAB as scikit-image's <c>rgb2lab</c> (D65, 2° observer): inverse sRGB companding,
/// the sRGB→XYZ matrix, the reference white (0.95047, 1, 1.08883), the cube-root / linear branch at
/// 0.008856, <c>L = 116y − 16</c>, <c>a = 500(x − y)</c>, <c>b = 200(y − z)</c>.
/// </summary>
internal static class CieLab
{
    private const double WhiteX = 0.95047, WhiteY = 1.0, WhiteZ = 1.08883;

    /// <summary>Converts one colour with channels in <c>[0, 1]</c>.</summary>
    public static (double L, double A, double B) FromRgb(double r, double g, double b)
    {
        r = Linearize(r);
        g = Linearize(g);
        b = Linearize(b);

        // Same summation order as `arr @ xyz_from_rgb.T` for one pixel.
        double x = (r * 0.412453 + g * 0.357580 + b * 0.180423) / WhiteX;
        double y = (r * 0.212671 + g * 0.715160 + b * 0.072169) / WhiteY;
        double z = (r * 0.019334 + g * 0.119193 + b * 0.950227) / WhiteZ;
        x = F(x);
        y = F(y);
        z = F(z);
        return (116.0 * y - 16.0, 500.0 * (x - y), 200.0 * (y - z));
    }

    private static double Linearize(double c) => c > 0.04045 ? Math.Pow((c + 0.055) / 1.055, 2.4) : c / 12.92;

    private static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116.0;
}

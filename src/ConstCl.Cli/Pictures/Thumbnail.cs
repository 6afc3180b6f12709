namespace ConstCl.Cli.Pictures;

/// <summary>A small RGB picture to place on a sheet: a decoded video frame or an augmented view's frame.</summary>
/// <param name="Rgb">Interleaved RGB24 pixels, row-major, <c>Width · Height · 3</c> bytes.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
internal sealed record Thumbnail(byte[] Rgb, int Width, int Height)
{
    /// <summary>A frame of values in [0, 1] or, when <paramref name="zeroCentred"/>, in [−1, 1], laid out <c>[H, W, 3]</c>.</summary>
    internal static Thumbnail FromUnitValues(ReadOnlySpan<float> hwc, int width, int height, bool zeroCentred)
    {
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.Length; i++)
        {
            float unit = zeroCentred ? (hwc[i] + 1f) * 0.5f : hwc[i];
            rgb[i] = (byte)Math.Clamp(MathF.Round(unit * 255f), 0f, 255f);
        }

        return new Thumbnail(rgb, width, height);
    }

    /// <summary>The largest centred square of the picture (a cell on a sheet is square; stretching would distort).</summary>
    internal Thumbnail CentreSquare()
    {
        int side = Math.Min(Width, Height), x0 = (Width - side) / 2, y0 = (Height - side) / 2;
        var rgb = new byte[side * side * 3];
        for (int y = 0; y < side; y++)
        {
            Array.Copy(Rgb, (((y0 + y) * Width) + x0) * 3, rgb, y * side * 3, side * 3);
        }

        return new Thumbnail(rgb, side, side);
    }
}

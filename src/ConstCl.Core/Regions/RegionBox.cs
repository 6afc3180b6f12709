namespace ConstCl.Regions;

/// <summary>
/// An axis-aligned box normalised to the frame it belongs to (the augmented frame, unless a proposer
/// says otherwise): <c>0 ≤ X1 ≤ X2 ≤ 1</c>, <c>0 ≤ Y1 ≤ Y2 ≤ 1</c> for a well-formed box, with x to the
/// right and y down. Coordinates are continuous: a box covering pixel columns <c>c0..c1</c> (inclusive)
/// of a <c>W</c>-wide frame is <c>X1 = c0/W</c>, <c>X2 = (c1+1)/W</c>.
/// The official ConST-CL code orders box coordinates <c>(ymin, xmin, ymax, xmax)</c>; use
/// <see cref="FromYxyx"/> and <see cref="ToYxyx"/> at that boundary.
/// </summary>
/// <param name="X1">Left edge, normalised.</param>
/// <param name="Y1">Top edge, normalised.</param>
/// <param name="X2">Right edge, normalised.</param>
/// <param name="Y2">Bottom edge, normalised.</param>
public readonly record struct RegionBox(float X1, float Y1, float X2, float Y2)
{
    /// <summary>The whole frame, <c>(0, 0, 1, 1)</c>.</summary>
    public static RegionBox FullFrame => new(0f, 0f, 1f, 1f);

    /// <summary>Width <c>X2 − X1</c> (negative for an inverted box).</summary>
    public float Width => X2 - X1;

    /// <summary>Height <c>Y2 − Y1</c> (negative for an inverted box).</summary>
    public float Height => Y2 - Y1;

    /// <summary>Area, 0 for empty or inverted boxes.</summary>
    public float Area => Width > 0f && Height > 0f ? Width * Height : 0f;

    /// <summary>True when the box lies inside <c>[0,1]²</c> and has positive width and height.</summary>
    public bool IsWellFormed =>
        X1 >= 0f && Y1 >= 0f && X2 <= 1f && Y2 <= 1f && X2 > X1 && Y2 > Y1;

    /// <summary>Builds a box from the official order <c>(ymin, xmin, ymax, xmax)</c>.</summary>
    public static RegionBox FromYxyx(float yMin, float xMin, float yMax, float xMax) => new(xMin, yMin, xMax, yMax);

    /// <summary>The official order <c>(ymin, xmin, ymax, xmax)</c>.</summary>
    public (float YMin, float XMin, float YMax, float XMax) ToYxyx() => (Y1, X1, Y2, X2);

    /// <summary>Builds a normalised box from continuous pixel coordinates of a <paramref name="width"/>×<paramref name="height"/> frame.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frame size is not positive.</exception>
    public static RegionBox FromPixels(double x1, double y1, double x2, double y2, int width, int height)
    {
        CheckSize(width, height);
        return new((float)(x1 / width), (float)(y1 / height), (float)(x2 / width), (float)(y2 / height));
    }

    /// <summary>Continuous pixel coordinates in a <paramref name="width"/>×<paramref name="height"/> frame (<c>X2·W</c> is the right edge, exclusive).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The frame size is not positive.</exception>
    public (double X1, double Y1, double X2, double Y2) ToPixels(int width, int height)
    {
        CheckSize(width, height);
        return ((double)X1 * width, (double)Y1 * height, (double)X2 * width, (double)Y2 * height);
    }

    /// <summary>
    /// Clamps every coordinate to <c>[0, 1]</c>; an inverted side (for example the official random
    /// boxes' <c>xmax = min(xmin + w, 0.999) &lt; xmin</c> when <c>xmin &gt; 0.999</c>) collapses to zero
    /// length at its first edge. NaN coordinates become 0.
    /// </summary>
    public RegionBox Clip()
    {
        float x1 = Clamp01(X1), y1 = Clamp01(Y1), x2 = Clamp01(X2), y2 = Clamp01(Y2);
        return new(x1, y1, MathF.Max(x1, x2), MathF.Max(y1, y2));
    }

    /// <summary>Intersection over union with <paramref name="other"/> (0 when the union is empty).</summary>
    public float IoU(RegionBox other)
    {
        float iw = MathF.Min(X2, other.X2) - MathF.Max(X1, other.X1);
        float ih = MathF.Min(Y2, other.Y2) - MathF.Max(Y1, other.Y1);
        float inter = iw > 0f && ih > 0f ? iw * ih : 0f;
        float union = Area + other.Area - inter;
        return union > 0f ? inter / union : 0f;
    }

    private static float Clamp01(float v) => float.IsNaN(v) ? 0f : Math.Clamp(v, 0f, 1f);

    private static void CheckSize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Frame size must be positive, got {width}×{height}.");
        }
    }
}

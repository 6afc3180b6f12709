namespace ConstCl.Augmentation;

/// <summary>
/// The RGB ↔ HSV conversions of TensorFlow's CPU kernels, float for float: <c>adjust_saturation_op.cc</c>
/// (<c>rgb_to_hsv</c>, <c>hsv_to_rgb</c>) and <c>adjust_hue_op.cc</c> (<c>rgb_to_hv_range</c>, <c>hv_range_to_rgb</c>).
/// </summary>
internal static class Hsv
{
    /// <summary>TF <c>rgb_to_hsv</c>: h in [0, 1), s in [0, 1], v = max.</summary>
    internal static void RgbToHsv(float r, float g, float b, out float h, out float s, out float v)
    {
        float vv = MathF.Max(r, MathF.Max(g, b));
        float range = vv - MathF.Min(r, MathF.Min(g, b));
        s = vv > 0 ? range / vv : 0f;
        float norm = 1.0f / (6.0f * range);
        float hh;
        if (r == vv)
        {
            hh = norm * (g - b);
        }
        else if (g == vv)
        {
            // The kernel adds the double constant 2.0 / 6.0, then stores to float.
            hh = (float)((norm * (b - r)) + (2.0 / 6.0));
        }
        else
        {
            hh = (float)((norm * (r - g)) + (4.0 / 6.0));
        }

        if (range <= 0.0f)
        {
            hh = 0;
        }

        if (hh < 0.0f)
        {
            hh += 1;
        }

        v = vv;
        h = hh;
    }

    /// <summary>TF <c>hsv_to_rgb</c> (Wikipedia's chroma form).</summary>
    internal static void HsvToRgb(float h, float s, float v, out float r, out float g, out float b)
    {
        float c = s * v;
        float m = v - c;
        float dh = h * 6;
        int category = (int)dh;
        float fmodu = dh;
        while (fmodu <= 0)
        {
            fmodu += 2.0f;
        }

        while (fmodu >= 2.0f)
        {
            fmodu -= 2.0f;
        }

        float x = c * (1 - MathF.Abs(fmodu - 1));
        float rr, gg, bb;
        switch (category)
        {
            case 0: rr = c; gg = x; bb = 0; break;
            case 1: rr = x; gg = c; bb = 0; break;
            case 2: rr = 0; gg = c; bb = x; break;
            case 3: rr = 0; gg = x; bb = c; break;
            case 4: rr = x; gg = 0; bb = c; break;
            case 5: rr = c; gg = 0; bb = x; break;
            default: rr = 0; gg = 0; bb = 0; break;
        }

        r = rr + m;
        g = gg + m;
        b = bb + m;
    }

    /// <summary>TF <c>rgb_to_hv_range</c>: hue in [0, 6) plus the min and max channel.</summary>
    internal static void RgbToHvRange(float r, float g, float b, out float h, out float vMin, out float vMax)
    {
        float vMid;
        int category;
        if (r < g)
        {
            if (b < r)
            {
                vMax = g; vMid = r; vMin = b; category = 1;
            }
            else if (b > g)
            {
                vMax = b; vMid = g; vMin = r; category = 3;
            }
            else
            {
                vMax = g; vMid = b; vMin = r; category = 2;
            }
        }
        else
        {
            if (b < g)
            {
                vMax = r; vMid = g; vMin = b; category = 0;
            }
            else if (b > r)
            {
                vMax = b; vMid = r; vMin = g; category = 4;
            }
            else
            {
                vMax = r; vMid = b; vMin = g; category = 5;
            }
        }

        if (vMax == vMin)
        {
            h = 0;
            return;
        }

        float ratio = (vMid - vMin) / (vMax - vMin);
        bool increase = (category & 1) == 0;
        h = category + (increase ? ratio : 1 - ratio);
    }

    /// <summary>TF <c>hv_range_to_rgb</c>: h in [0, 6).</summary>
    internal static void HvRangeToRgb(float h, float vMin, float vMax, out float r, out float g, out float b)
    {
        int category = (int)h;
        float ratio = h - category;
        bool increase = (category & 1) == 0;
        if (!increase)
        {
            ratio = 1 - ratio;
        }

        float vMid = vMin + (ratio * (vMax - vMin));
        switch (category)
        {
            case 0: r = vMax; g = vMid; b = vMin; break;
            case 1: r = vMid; g = vMax; b = vMin; break;
            case 2: r = vMin; g = vMax; b = vMid; break;
            case 3: r = vMin; g = vMid; b = vMax; break;
            case 4: r = vMid; g = vMin; b = vMax; break;
            default: r = vMax; g = vMin; b = vMid; break;
        }
    }
}

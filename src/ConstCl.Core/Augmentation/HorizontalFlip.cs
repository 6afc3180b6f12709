namespace ConstCl.Augmentation;

/// <summary>
/// Left-right flip of every frame of a clip (official <c>random_flip_left_right</c>, p 0.5); boxes are
/// mirrored to <c>(1 − x2, y1, 1 − x1, y2)</c> in the same call.
/// </summary>
public static class HorizontalFlip
{
    /// <summary>Flips the clip (always) and mirrors the boxes.</summary>
    /// <param name="clip">Clip <c>[T, H, W, 3]</c>; not modified.</param>
    /// <param name="boxes">Optional normalised (x1, y1, x2, y2) quadruples.</param>
    public static (Clip Clip, float[]? Boxes) Apply(Clip clip, float[]? boxes = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        BoxQuads.Validate(boxes, nameof(boxes));
        Clip output = clip.Clone();
        FlipInPlace(output);
        return (output, boxes is null ? null : FlipBoxes(boxes));
    }

    /// <summary>Flips with probability <paramref name="probability"/>.</summary>
    /// <param name="clip">Clip <c>[T, H, W, 3]</c>; not modified.</param>
    /// <param name="random">The generator (one draw).</param>
    /// <param name="probability">Flip probability (official 0.5).</param>
    /// <param name="boxes">Optional normalised (x1, y1, x2, y2) quadruples.</param>
    public static (Clip Clip, float[]? Boxes, bool Flipped) Apply(Clip clip, Random random, double probability = 0.5, float[]? boxes = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() < probability)
        {
            var (flipped, moved) = Apply(clip, boxes);
            return (flipped, moved, true);
        }

        BoxQuads.Validate(boxes, nameof(boxes));
        return (clip.Clone(), boxes is null ? null : (float[])boxes.Clone(), false);
    }

    /// <summary>Reverses the pixel columns of every row in place.</summary>
    internal static unsafe void FlipInPlace(Clip clip)
    {
        int w = clip.Width;
        long rows = (long)clip.Frames * clip.Height;
        fixed (float* data = clip.Data)
        {
            for (long r = 0; r < rows; r++)
            {
                float* left = data + (r * w * 3);
                float* right = left + ((w - 1) * 3);
                for (; left < right; left += 3, right -= 3)
                {
                    float a0 = left[0], a1 = left[1], a2 = left[2];
                    left[0] = right[0];
                    left[1] = right[1];
                    left[2] = right[2];
                    right[0] = a0;
                    right[1] = a1;
                    right[2] = a2;
                }
            }
        }
    }

    /// <summary>(x1, y1, x2, y2) → (1 − x2, y1, 1 − x1, y2).</summary>
    internal static float[] FlipBoxes(float[] boxes)
    {
        var result = new float[boxes.Length];
        for (int i = 0; i < boxes.Length; i += 4)
        {
            result[i] = 1f - boxes[i + 2];
            result[i + 1] = boxes[i + 1];
            result[i + 2] = 1f - boxes[i];
            result[i + 3] = boxes[i + 3];
        }

        return result;
    }
}

namespace ConstCl.Augmentation;

/// <summary>
/// Grayscale as the official <c>to_grayscale</c>: <c>tf.image.rgb_to_grayscale</c> (weights 0.2989, 0.5870,
/// 0.1140) tiled back to three channels; official probability 0.2, after the colour jitter.
/// </summary>
public static class Grayscale
{
    /// <summary>Red weight.</summary>
    public const float RedWeight = 0.2989f;

    /// <summary>Green weight.</summary>
    public const float GreenWeight = 0.5870f;

    /// <summary>Blue weight.</summary>
    public const float BlueWeight = 0.1140f;

    /// <summary>Converts a copy of the clip to gray (always).</summary>
    /// <param name="clip">Clip; not modified.</param>
    public static Clip Apply(Clip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Clip output = clip.Clone();
        ApplyInPlace(output.Data);
        return output;
    }

    /// <summary>Converts to gray with probability <paramref name="probability"/>.</summary>
    /// <param name="clip">Clip; not modified.</param>
    /// <param name="random">The generator (one draw).</param>
    /// <param name="probability">Official 0.2.</param>
    public static (Clip Clip, bool Applied) Apply(Clip clip, Random random, double probability = 0.2)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(random);
        bool applied = random.NextDouble() < probability;
        return (applied ? Apply(clip) : clip.Clone(), applied);
    }

    internal static unsafe void ApplyInPlace(Span<float> data)
    {
        fixed (float* start = data)
        {
            float* end = start + data.Length;
            for (float* p = start; p < end; p += 3)
            {
                float gray = (p[0] * RedWeight) + (p[1] * GreenWeight) + (p[2] * BlueWeight);
                p[0] = gray;
                p[1] = gray;
                p[2] = gray;
            }
        }
    }
}

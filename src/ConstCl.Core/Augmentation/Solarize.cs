using System.Numerics;
using System.Runtime.InteropServices;

namespace ConstCl.Augmentation;

/// <summary>
/// Solarisation as the official <c>random_solarization</c>: <c>x &lt; 0.5 ? x : 1 − x</c>; official use is
/// view 2 only, probability 0.2.
/// </summary>
public static class Solarize
{
    /// <summary>Solarises a copy of the clip (always).</summary>
    /// <param name="clip">Clip in [0, 1]; not modified.</param>
    public static Clip Apply(Clip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Clip output = clip.Clone();
        ApplyInPlace(output.Data);
        return output;
    }

    /// <summary>Solarises with probability <paramref name="probability"/>.</summary>
    /// <param name="clip">Clip in [0, 1]; not modified.</param>
    /// <param name="random">The generator (one draw).</param>
    /// <param name="probability">Official 0.2 for view 2.</param>
    public static (Clip Clip, bool Applied) Apply(Clip clip, Random random, double probability = 0.2)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(random);
        bool applied = random.NextDouble() < probability;
        return (applied ? Apply(clip) : clip.Clone(), applied);
    }

    internal static void ApplyInPlace(Span<float> data)
    {
        var half = new Vector<float>(0.5f);
        var one = Vector<float>.One;
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(data);
        for (int i = 0; i < vectors.Length; i++)
        {
            Vector<float> x = vectors[i];
            vectors[i] = Vector.ConditionalSelect(Vector.LessThan(x, half), x, one - x);
        }

        for (int i = vectors.Length * Vector<float>.Count; i < data.Length; i++)
        {
            float x = data[i];
            data[i] = x < 0.5f ? x : 1f - x;
        }
    }
}

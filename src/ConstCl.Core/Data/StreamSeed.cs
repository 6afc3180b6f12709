namespace ConstCl.Data;

/// <summary>
/// Derives independent seeds from (seed, purpose, coordinates) with SplitMix64 mixing, so every random draw of the
/// loader is a pure function of where it happens in the stream — never of thread timing or call order.
/// </summary>
internal static class StreamSeed
{
    /// <summary>Purpose tags: each use gets its own stream.</summary>
    internal const long EpochOrder = 1, Sample = 2, Replacement = 3;

    /// <summary>A 32-bit seed for <see cref="Random"/> from the seed, a purpose tag and up to two coordinates.</summary>
    internal static int Derive(int seed, long purpose, long a, long b = 0)
    {
        ulong h = Mix((ulong)(uint)seed ^ 0x9E3779B97F4A7C15UL);
        h = Mix(h ^ (ulong)purpose);
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ (ulong)b);
        return (int)(h >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

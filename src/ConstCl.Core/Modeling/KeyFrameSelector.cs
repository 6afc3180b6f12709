using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Picks the key input frame of each view per video (paper Table 4; spec §3.3 for Center) and maps it to a feature slice.
/// </summary>
internal static class KeyFrameSelector
{
    /// <summary>
    /// Key input-frame index per video for view A and view B.
    /// </summary>
    /// <param name="strategy">Center: <c>T / 2</c> for both. Nearest: the pair (i, j) minimising <c>|tA[i] − tB[j]|</c>
    /// (inside the overlap when the clips overlap, else the facing ends), ties broken by <c>|i − T/2| + |j − T/2|</c>,
    /// then the smaller i, then j. Random: i and j uniform in [0, T) from <paramref name="random"/>.</param>
    /// <param name="batch">B.</param>
    /// <param name="frames">T (input frames per clip).</param>
    /// <param name="timesA">Source frame index per input frame of view A, <c>[B, T]</c>; required by Nearest.</param>
    /// <param name="timesB">Same for view B.</param>
    /// <param name="random">Generator for Random.</param>
    public static (long[] A, long[] B) Select(KeyFrameStrategy strategy, int batch, int frames, Tensor? timesA, Tensor? timesB, Random? random)
    {
        var a = new long[batch];
        var b = new long[batch];
        switch (strategy)
        {
            case KeyFrameStrategy.Center:
                Array.Fill(a, frames / 2);
                Array.Fill(b, frames / 2);
                break;
            case KeyFrameStrategy.Random:
                ArgumentNullException.ThrowIfNull(random);
                for (var i = 0; i < batch; i++)
                {
                    a[i] = random.Next(frames);
                    b[i] = random.Next(frames);
                }

                break;
            case KeyFrameStrategy.Nearest:
                var ta = ReadTimes(timesA, batch, frames, nameof(ConstClModelInput.FrameTimesA));
                var tb = ReadTimes(timesB, batch, frames, nameof(ConstClModelInput.FrameTimesB));
                for (var v = 0; v < batch; v++)
                {
                    (a[v], b[v]) = Nearest(ta.AsSpan(v * frames, frames), tb.AsSpan(v * frames, frames));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "Unknown key-frame strategy.");
        }

        return (a, b);
    }

    /// <summary>The feature slice an input frame falls in: <c>frame · T′ / T</c> (Center: T/2 → T′/2).</summary>
    public static long FeatureSlice(long frame, int frames, long featureFrames) => Math.Min(frame * featureFrames / frames, featureFrames - 1);

    /// <summary>The closest frame pair of two clips (see <see cref="Select"/>).</summary>
    public static (long A, long B) Nearest(ReadOnlySpan<long> timesA, ReadOnlySpan<long> timesB)
    {
        long bestI = 0, bestJ = 0, bestDistance = long.MaxValue, bestOffCentre = long.MaxValue;
        var ca = timesA.Length / 2;
        var cb = timesB.Length / 2;
        for (var i = 0; i < timesA.Length; i++)
        {
            for (var j = 0; j < timesB.Length; j++)
            {
                var distance = Math.Abs(timesA[i] - timesB[j]);
                long offCentre = Math.Abs(i - ca) + Math.Abs(j - cb);
                if (distance < bestDistance || (distance == bestDistance && offCentre < bestOffCentre))
                {
                    (bestI, bestJ, bestDistance, bestOffCentre) = (i, j, distance, offCentre);
                }
            }
        }

        return (bestI, bestJ);
    }

    private static long[] ReadTimes(Tensor? times, int batch, int frames, string name)
    {
        if (times is null)
        {
            throw new ArgumentException($"{name} is required by the Nearest key-frame strategy: pass the source frame index of every input frame, [B, T] int64.", name);
        }

        if (times.dim() != 2 || times.shape[0] != batch || times.shape[1] != frames)
        {
            throw new ArgumentException($"{name} must be [B, T] = [{batch}, {frames}]; got [{string.Join(", ", times.shape)}].", name);
        }

        using var host = times.to(ScalarType.Int64).cpu();
        return host.data<long>().ToArray();
    }
}

namespace ConstCl.Data;

/// <summary>
/// The order videos are visited in: epoch <c>e</c> is a permutation of <c>0..V−1</c> drawn from (seed, e), and the
/// stream is the concatenation of the epochs. Global position <c>p</c> is video <c>perm_e[p mod V]</c> with
/// <c>e = ⌊p / V⌋</c>; batch <c>k</c> covers positions <c>k·B .. k·B+B−1</c>, so a batch may straddle two epochs
/// (nothing is dropped or repeated). Thread-safe; recent permutations are memoised.
/// </summary>
internal sealed class EpochOrder
{
    private readonly int _seed;
    private readonly object _gate = new();
    private readonly Dictionary<long, int[]> _recent = [];

    internal EpochOrder(int videoCount, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(videoCount, 1);
        VideoCount = videoCount;
        _seed = seed;
    }

    /// <summary>V, videos per epoch.</summary>
    internal int VideoCount { get; }

    /// <summary>The epoch global position <paramref name="position"/> belongs to.</summary>
    internal long EpochOf(long position) => position / VideoCount;

    /// <summary>The video at global position <paramref name="position"/>.</summary>
    internal int VideoAt(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return Permutation(position / VideoCount)[(int)(position % VideoCount)];
    }

    /// <summary>The permutation of epoch <paramref name="epoch"/> (Fisher–Yates from its own generator).</summary>
    internal int[] Permutation(long epoch)
    {
        lock (_gate)
        {
            if (_recent.TryGetValue(epoch, out var cached))
            {
                return cached;
            }
        }

        var perm = new int[VideoCount];
        for (int i = 0; i < perm.Length; i++)
        {
            perm[i] = i;
        }

        var random = new Random(StreamSeed.Derive(_seed, StreamSeed.EpochOrder, epoch));
        for (int i = perm.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (perm[i], perm[j]) = (perm[j], perm[i]);
        }

        lock (_gate)
        {
            if (_recent.Count >= 4)
            {
                _recent.Remove(_recent.Keys.Min());
            }

            _recent[epoch] = perm;
        }

        return perm;
    }
}

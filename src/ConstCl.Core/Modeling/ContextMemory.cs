using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The context memory F′_c (spec §3.5): <c>L</c> feature slices of the other view around its key slice,
/// flattened row-major over (t, y, x) to tokens.
/// </summary>
internal static class ContextMemory
{
    /// <summary>
    /// Slice indices of the memory: <c>stride = T′ / L</c> (integer division), <c>idx_k = (k − L/2)·stride + key</c>.
    /// For T′ = 8, key 4: L=1 → [4]; 3 → [2,4,6]; 5 → [2..6]; 7 → [1..7]; L ≥ 9 → stride 0, the key slice repeated.
    /// Indices that fall outside [0, T′−1] (possible only with a non-central key) are clamped to the edge.
    /// </summary>
    public static long[] TemporalIndices(int featureFrames, int contextLength, int keySlice)
    {
        if (featureFrames <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(featureFrames), featureFrames, "featureFrames (T′) must be > 0.");
        }

        if (contextLength <= 0 || contextLength % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "contextLength must be odd and positive.");
        }

        if (keySlice < 0 || keySlice >= featureFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(keySlice), keySlice, $"keySlice must be in [0, {featureFrames - 1}].");
        }

        var stride = featureFrames / contextLength;
        var idx = new long[contextLength];
        for (var k = 0; k < contextLength; k++)
        {
            idx[k] = Math.Clamp((k - contextLength / 2) * stride + keySlice, 0, featureFrames - 1);
        }

        return idx;
    }

    /// <summary>
    /// Gathers the memory tokens of every clip around its own key slice.
    /// </summary>
    /// <param name="features">L2-normalised features <c>[B, C, T′, H, W]</c>.</param>
    /// <param name="keySlices">Key feature slice per clip (length B).</param>
    /// <param name="contextLength">L.</param>
    /// <returns>Tokens <c>[B, L·H·W, C]</c>, ordered (t, y, x).</returns>
    public static Tensor Gather(Tensor features, IReadOnlyList<long> keySlices, int contextLength)
    {
        long b = features.shape[0], c = features.shape[1], t = features.shape[2], h = features.shape[3], w = features.shape[4];
        if (keySlices.Count != b)
        {
            throw new ArgumentException($"keySlices must hold one slice per clip ({b}); got {keySlices.Count}.", nameof(keySlices));
        }

        using var scope = NewDisposeScope();
        var idx = new long[b * contextLength];
        for (var i = 0; i < b; i++)
        {
            TemporalIndices((int)t, contextLength, (int)keySlices[i]).CopyTo(idx, i * contextLength);
        }

        var index = tensor(idx, device: features.device).view(b, contextLength);               // [B, L]
        var rows = Scalars.Arange(b, device: features.device).unsqueeze(1);                     // [B, 1]
        var byTime = features.permute(0, 2, 3, 4, 1);                                            // [B, T′, H, W, C]
        var memory = byTime.index(TensorIndex.Tensor(rows), TensorIndex.Tensor(index));          // [B, L, H, W, C]
        return memory.reshape(b, contextLength * h * w, c).MoveToOuterDisposeScope();           // [B, L·H·W, C]
    }
}

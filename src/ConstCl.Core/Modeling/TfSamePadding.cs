using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// TensorFlow <c>'same'</c> padding for 3-D ops (spec §1.7): per axis <c>pad = max((ceil(n/s) − 1)·s + k − n, 0)</c>,
/// <c>before = pad / 2</c>, <c>after = pad − before</c>. Depends on the input size, so it is computed at forward time.
/// </summary>
internal static class TfSamePadding
{
    /// <summary>Pads for <c>F.pad</c> on <c>[B, C, T, H, W]</c>: (W before, W after, H before, H after, T before, T after).</summary>
    public static long[] Pads(ReadOnlySpan<long> sizeThw, IReadOnlyList<int> kernel, IReadOnlyList<int> stride)
    {
        var pads = new long[6];
        for (var d = 0; d < 3; d++)
        {
            var n = sizeThw[d];
            var outSize = (n + stride[d] - 1) / stride[d];
            var total = Math.Max((outSize - 1) * stride[d] + kernel[d] - n, 0);
            var before = total / 2;
            pads[2 * (2 - d)] = before;
            pads[2 * (2 - d) + 1] = total - before;
        }

        return pads;
    }

    /// <summary>Pads <paramref name="x"/> <c>[B, C, T, H, W]</c> with <paramref name="value"/>; returns x itself when nothing is needed.</summary>
    public static Tensor Apply(Tensor x, IReadOnlyList<int> kernel, IReadOnlyList<int> stride, double value = 0.0)
    {
        var pads = Pads(x.shape.AsSpan(2), kernel, stride);
        return pads.All(p => p == 0) ? x : nn.functional.pad(x, pads, TorchSharp.PaddingModes.Constant, value);
    }
}

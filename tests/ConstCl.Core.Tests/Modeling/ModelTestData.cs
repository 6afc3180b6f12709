using ConstCl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>Small deterministic inputs for model tests.</summary>
internal static class ModelTestData
{
    /// <summary>Two views [B, 3, T, S, S] in [-1, 1] and valid random boxes [B, T, N, 4] (x1, y1, x2, y2).</summary>
    public static ConstClModelInput Input(int batch, int frames, int size, int boxes, long seed, Tensor? timesA = null, Tensor? timesB = null)
    {
        using var g = new Generator((ulong)seed);
        var a = rand([batch, 3, frames, size, size], generator: g) * 2 - 1;
        var b = rand([batch, 3, frames, size, size], generator: g) * 2 - 1;
        return new ConstClModelInput(a, b, Boxes(batch, frames, boxes, g), Boxes(batch, frames, boxes, g), FrameTimesA: timesA, FrameTimesB: timesB);
    }

    /// <summary>Random boxes with 0 ≤ x1 &lt; x2 ≤ 1 and 0 ≤ y1 &lt; y2 ≤ 1, <c>[B, T, N, 4]</c>.</summary>
    public static Tensor Boxes(int batch, int frames, int boxes, Generator g)
    {
        var lo = rand([batch, frames, boxes, 2], generator: g) * 0.6;
        var size = rand([batch, frames, boxes, 2], generator: g) * 0.35 + 0.05;
        return cat([lo, lo + size], -1);
    }

    /// <summary>True when both tensors have the same shape and exactly equal elements.</summary>
    public static bool SameAs(this Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}

using ConstCl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>A synthetic training batch for benchmarks and tests: two random views and random valid boxes.</summary>
public static class RandomTrainingInput
{
    /// <summary>
    /// Views <c>[B, 3, T, S, S]</c> uniform in [−1, 1] and boxes <c>[B, T, N, 4]</c> (x1, y1, x2, y2 in [0, 1], each side
    /// 0.05–0.4 of the frame), drawn from <paramref name="generator"/>, on the CPU; the tensors join the caller's dispose scope.
    /// </summary>
    /// <param name="batch">B, videos per batch.</param>
    /// <param name="frames">T, frames per view (<see cref="ConstClModelOptions.InputFrames"/>).</param>
    /// <param name="size">S, the side of each square frame (<see cref="ConstClModelOptions.InputSize"/>).</param>
    /// <param name="boxes">N, boxes per frame.</param>
    /// <param name="generator">The CPU generator of every draw.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    public static ConstClModelInput Create(int batch, int frames, int size, int boxes, Generator generator)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frames);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(boxes);
        ArgumentNullException.ThrowIfNull(generator);
        // Explicit, kept-alive Scalars: Core never lets a temporary Scalar be finalised mid-call (Ops/Scalars.cs).
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        using var minusOne = (-1.0).ToScalar();
        using var corner = 0.6.ToScalar();
        using var spread = 0.35.ToScalar();
        using var least = 0.05.ToScalar();

        Tensor Boxes()
        {
            var lo = rand([batch, frames, boxes, 2], generator: generator).mul_(corner);                       // [B, T, N, 2]
            var extent = rand([batch, frames, boxes, 2], generator: generator).mul_(spread).add_(least, one);
            return cat([lo, lo.add(extent, one)], -1);                                                         // [B, T, N, 4]
        }

        var a = rand([batch, 3, frames, size, size], generator: generator).mul_(two).add_(minusOne, one);           // [B, 3, T, S, S]
        var b = rand([batch, 3, frames, size, size], generator: generator).mul_(two).add_(minusOne, one);
        return new ConstClModelInput(a, b, Boxes(), Boxes());
    }
}

using ConstCl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Data;

/// <summary>
/// The one place where managed samples become tensors: concatenates the samples' arrays into batch buffers
/// (block copies only) and wraps each in a tensor with its shape, on the calling thread. The tensors are created
/// in the caller's dispose scope, if any, and owned by the returned batch.
/// </summary>
internal static class BatchCollator
{
    /// <summary>Collates <paramref name="samples"/> (all with the same T, size and N) into batch <paramref name="index"/>.</summary>
    internal static PretrainingBatch Collate(IReadOnlyList<TwoViewSample> samples, long index, int epoch)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one sample.", nameof(samples));
        }

        TwoViewSample first = samples[0];
        int b = samples.Count, t = first.Frames, s = first.Size, n = first.BoxesPerFrame;
        foreach (TwoViewSample x in samples)
        {
            if (x.Frames != t || x.Size != s || x.BoxesPerFrame != n)
            {
                throw new ArgumentException($"Sample of '{x.VideoKey}' is T={x.Frames}, size {x.Size}, N={x.BoxesPerFrame}; the batch is T={t}, size {s}, N={n}.", nameof(samples));
            }
        }

        using var scope = torch.NewDisposeScope();
        var input = new ConstClModelInput(
            Tensor(samples, x => x.ViewA, [b, 3, t, s, s]),   // [B, 3, T, H, W]
            Tensor(samples, x => x.ViewB, [b, 3, t, s, s]),
            Tensor(samples, x => x.BoxesA, [b, t, n, 4]),     // [B, T, N, 4]
            Tensor(samples, x => x.BoxesB, [b, t, n, 4]),
            Tensor(samples, x => x.MaskA, [b, t, n]),         // [B, T, N]
            Tensor(samples, x => x.MaskB, [b, t, n]),
            Tensor(samples, x => x.FrameTimesA, [b, t]),      // [B, T]
            Tensor(samples, x => x.FrameTimesB, [b, t]));
        input.ViewA.MoveToOuterDisposeScope();
        input.ViewB.MoveToOuterDisposeScope();
        input.BoxesA.MoveToOuterDisposeScope();
        input.BoxesB.MoveToOuterDisposeScope();
        input.MaskA!.MoveToOuterDisposeScope();
        input.MaskB!.MoveToOuterDisposeScope();
        input.FrameTimesA!.MoveToOuterDisposeScope();
        input.FrameTimesB!.MoveToOuterDisposeScope();
        return new PretrainingBatch(index, epoch, input, samples.Select(x => x.VideoKey).ToArray());
    }

    private static Tensor Tensor<T>(IReadOnlyList<TwoViewSample> samples, Func<TwoViewSample, T[]> field, long[] shape)
        where T : unmanaged
    {
        int per = field(samples[0]).Length;
        long expected = shape.Aggregate(1L, (a, d) => a * d);
        if ((long)per * samples.Count != expected)
        {
            throw new ArgumentException($"Sample arrays hold {per} values each; shape [{string.Join(", ", shape)}] needs {expected / samples.Count}.", nameof(samples));
        }

        var data = new T[expected];
        for (int i = 0; i < samples.Count; i++)
        {
            T[] src = field(samples[i]);
            if (src.Length != per)
            {
                throw new ArgumentException($"Sample {i} ('{samples[i].VideoKey}') has {src.Length} values; expected {per}.", nameof(samples));
            }

            Array.Copy(src, 0, data, (long)i * per, per);
        }

        // torch.tensor wraps the managed buffer (pinned until the tensor is disposed); the buffer is fresh per batch.
        return data switch
        {
            float[] f => torch.tensor(f, shape),
            bool[] m => torch.tensor(m, shape),
            long[] l => torch.tensor(l, shape),
            _ => throw new NotSupportedException($"No tensor conversion for {typeof(T).Name}."),
        };
    }
}

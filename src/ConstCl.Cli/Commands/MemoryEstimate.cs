using System.Globalization;
using ConstCl.Embedding;
using ConstCl.Modeling;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Rough peak memory of a request — the decoded clips it holds and the backbone's activations, walked stage by stage
/// from the model options — so that a request that cannot fit is refused up front, with the estimate, instead of
/// running into the out-of-memory killer (issue 14: <c>embed --frames 100000</c> grew to 23.4 GB). Rough means within a
/// small factor: it counts float tensors, not allocator overhead or libtorch's workspaces.
/// </summary>
internal static class MemoryEstimate
{
    private const long FloatBytes = sizeof(float);

    /// <summary>
    /// Embedding with <paramref name="spec"/>: the decoded views of the videos in flight (the prefetch queue, the one being
    /// decoded, the pending batch and its concatenated copy) plus one forward pass of <paramref name="batch"/> clips.
    /// </summary>
    internal static long Embedding(ResNet3dYOptions backbone, EvaluationClipSpec spec, int batch, int prefetchVideos)
    {
        long view = 3L * spec.FramesPerClip * spec.Size * spec.Size * FloatBytes;
        long views = spec.ViewCount;
        long held = view * ((views * (prefetchVideos + 1)) + (2L * Math.Max(batch, views)));
        var layers = Walk(backbone, spec.FramesPerClip, spec.Size);
        // Under no_grad a block's input, middle and output tensors are alive together.
        long peak = 2 * Math.Max(layers.Stem, layers.Blocks.Max(b => b.Elements)) * FloatBytes;
        return held + (batch * (view + peak));
    }

    /// <summary>
    /// One pre-training step at <paramref name="batchSize"/> videos (two views each): the clips and every activation kept for
    /// the backward pass (convolution, normalisation and activation outputs; res5 twice for the Y branch's two heads).
    /// </summary>
    internal static long Training(ConstClModelOptions model, int batchSize)
    {
        long clips = 2L * batchSize;
        long view = 3L * model.InputFrames * model.InputSize * model.InputSize * FloatBytes;
        var layers = Walk(model.Backbone, model.InputFrames, model.InputSize);
        long kept = 3 * layers.Stem;
        for (int s = 0; s < layers.Blocks.Count; s++)
        {
            var (blocks, elements) = layers.Blocks[s];
            kept += 3L * blocks * elements * (s == layers.Blocks.Count - 1 ? 2 : 1);
        }

        return clips * ((2 * view) + (kept * FloatBytes));
    }

    /// <summary>The memory this process may use: the machine's, or the container's limit (what the GC is told).</summary>
    internal static long AvailableBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Throws a usage error (exit code 2) when <paramref name="bytes"/> exceed <paramref name="available"/>.</summary>
    /// <param name="bytes">The estimate.</param>
    /// <param name="request">What needs it, for the message ("embedding 10 clips × 3 crops of 16×224²").</param>
    /// <param name="advice">What to lower.</param>
    /// <param name="available">The limit (default: <see cref="AvailableBytes"/>).</param>
    internal static void EnsureFits(long bytes, string request, string advice, long? available = null)
    {
        long limit = available ?? AvailableBytes();
        if (limit > 0 && bytes > limit)
        {
            throw new CommandException(ExitCodes.Usage, string.Create(CultureInfo.InvariantCulture,
                $"{request} needs about {Gib(bytes)} of memory (rough estimate) but this machine has {Gib(limit)}; {advice}"));
        }
    }

    /// <summary>Bytes as GiB with one decimal ("23.4 GiB").</summary>
    internal static string Gib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GiB");

    /// <summary>Elements of the stem output and, per stage, its block count and the elements of one block's tensors (per clip).</summary>
    private static (long Stem, List<(int Count, long Elements)> Blocks) Walk(ResNet3dYOptions b, int frames, int size)
    {
        long t = Ceil(frames, b.StemStride[0]), h = Ceil(size, b.StemStride[1]), w = Ceil(size, b.StemStride[2]);
        long stem = b.StemChannels * t * h * w;
        if (b.StemMaxPool)
        {
            (t, h, w) = (Ceil(t, b.StemPoolStride[0]), Ceil(h, b.StemPoolStride[1]), Ceil(w, b.StemPoolStride[2]));
        }

        var blocks = new List<(int, long)>();
        for (int s = 0; s < b.StageBlocks.Count; s++)
        {
            (t, h, w) = (Ceil(t, b.StageTemporalStrides[s]), Ceil(h, b.StageSpatialStrides[s]), Ceil(w, b.StageSpatialStrides[s]));
            long width = b.StageWidths[s], output = width * b.Expansion;
            // Bottleneck: 1×1 → width, 3×3 → width, 1×1 → output; basic: 3×3 → width, 3×3 → output.
            long channels = b.Block == BlockKind.Bottleneck ? (2 * width) + output : width + output;
            blocks.Add((b.StageBlocks[s], channels * t * h * w));
        }

        return (stem, blocks);
    }

    private static long Ceil(long value, int stride) => (value + stride - 1) / Math.Max(stride, 1);
}

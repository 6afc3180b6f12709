using ConstCl.Ops;
using TorchSharp.Utils;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The ConST-CL local head (spec §3.3–3.7): key-frame ROI pooling gives h (view A) and h′ (view B); the context memory
/// of the <i>other</i> view (L slices, learned positional channels concatenated) feeds one shared decoder in both
/// directions: <c>z_a2b = g(h_a, F′_c(b))</c>, <c>z_b2a = g(h_b, F′_c(a))</c>.
/// </summary>
internal sealed class InstanceReconstructor : nn.Module<Tensor, Tensor, long[], LocalHeadOutput>
{
    [ComponentName(Name = "positional_embedding")]
    private readonly PositionalEmbedding? _positionalEmbedding;
    [ComponentName(Name = "decoder")]
    private readonly nn.Module<Tensor, Tensor, Tensor> _decoder;
    private readonly int _contextLength;
    private readonly int _cropSize;

    internal InstanceReconstructor(PositionalEmbedding? positionalEmbedding, nn.Module<Tensor, Tensor, Tensor> decoder, int contextLength, int cropSize)
        : base(nameof(InstanceReconstructor))
    {
        if (contextLength <= 0 || contextLength % 2 == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "contextLength must be odd and positive.");
        }

        _positionalEmbedding = positionalEmbedding;
        _decoder = decoder;
        _contextLength = contextLength;
        _cropSize = cropSize;

        RegisterComponents();
    }

    /// <summary>Builds the head for local features of <paramref name="featureChannels"/> channels (output has the same width).</summary>
    public static InstanceReconstructor Create(LocalHeadOptions options, long featureChannels, Generator generator)
    {
        options.Validate();
        if (options.IsVanilla)
        {
            throw new ArgumentException("ContextLength 0 is the vanilla MLP head; build RegionMlpHead instead.", nameof(options));
        }

        var positional = options.UsePositionalEmbedding ? PositionalEmbedding.Create(options, generator) : null;
        var memoryChannels = featureChannels + (positional?.Channels ?? 0);
        var decoder = ContextTransformerDecoder.Create(options, featureChannels, memoryChannels, featureChannels, generator);
        return new InstanceReconstructor(positional, decoder, options.ContextLength, options.CropSize);
    }

    /// <summary>
    /// <c>features [2B, C, T′, H, W]</c> (L2-normalised res5_local; rows 0..B−1 view A), <c>keyBoxes [2B, N, 4]</c>
    /// normalised (x1, y1, x2, y2), <c>keySlices</c> (2B feature-slice indices) → h, h′, z_a2b, z_b2a, each <c>[B, N, C]</c>.
    /// </summary>
    public override LocalHeadOutput forward(Tensor features, Tensor keyBoxes, long[] keySlices)
    {
        using var scope = NewDisposeScope();
        var b = features.shape[0] / 2;
        long h = features.shape[3], w = features.shape[4];
        var regions = PoolRegions(features, keyBoxes, keySlices, _cropSize);                 // [2B, N, C]
        var memory = ContextMemory.Gather(features, keySlices, _contextLength);              // [2B, L·H·W, C]
        if (_positionalEmbedding is not null)
        {
            var grid = PositionalEmbedding.CenteredGrid(_contextLength, h, w, features.device);
            var position = _positionalEmbedding.forward(grid.to(features.dtype));           // [L·H·W, 16]
            memory = cat([memory, position.unsqueeze(0).expand(2 * b, -1, -1)], -1);        // [2B, L·H·W, C + 16]
        }

        var regionsA = regions[..(int)b];                                                    // [B, N, C]
        var regionsB = regions[(int)b..];
        var a2b = _decoder.forward(regionsA, memory[(int)b..]);                              // [B, N, C] with B's context
        var b2a = _decoder.forward(regionsB, memory[..(int)b]);                              // [B, N, C] with A's context
        return new LocalHeadOutput(
            regionsA.MoveToOuterDisposeScope(), regionsB.MoveToOuterDisposeScope(), a2b.MoveToOuterDisposeScope(), b2a.MoveToOuterDisposeScope());
    }

    /// <summary>Takes each clip's key slice of <c>[2B, C, T′, H, W]</c> and ROI-pools its boxes: <c>[2B, N, C]</c>.</summary>
    internal static Tensor PoolRegions(Tensor features, Tensor keyBoxes, long[] keySlices, int cropSize)
    {
        using var scope = NewDisposeScope();
        var n = features.shape[0];
        if (keySlices.Length != n)
        {
            throw new ArgumentException($"keySlices must hold one slice per clip ({n}); got {keySlices.Length}.", nameof(keySlices));
        }

        var rows = Scalars.Arange(n, device: features.device);
        var slices = tensor(keySlices, device: features.device);
        var keySlice = features.permute(0, 2, 1, 3, 4).index(TensorIndex.Tensor(rows), TensorIndex.Tensor(slices));   // [2B, C, H, W]
        return KeyFrameRegionPooling.Pool(keySlice, keyBoxes, cropSize).MoveToOuterDisposeScope();
    }
}

using TorchSharp.Utils;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The vanilla region-based head (paper §3.1, eq. 3; Table 6 context length 0): <c>z = MLP(h)</c> with no context and no
/// transformer. <c>z_a2b = MLP(h_a)</c>, <c>z_b2a = MLP(h_b)</c>; the MLP maps C → hidden ×n → C so that the local loss keeps
/// its contract (predictions and region features share the width C). Not in the official code (spec §7 (c)).
/// </summary>
internal sealed class RegionMlpHead : nn.Module<Tensor, Tensor, long[], LocalHeadOutput>
{
    [ComponentName(Name = "mlp")]
    private readonly nn.Module<Tensor, Tensor> _mlp;
    private readonly int _cropSize;

    internal RegionMlpHead(nn.Module<Tensor, Tensor> mlp, int cropSize)
        : base(nameof(RegionMlpHead))
    {
        _mlp = mlp;
        _cropSize = cropSize;
        RegisterComponents();
    }

    /// <summary>Builds the MLP head (hidden Linear with bias → BN → ReLU, then Linear back to <paramref name="featureChannels"/>).</summary>
    public static RegionMlpHead Create(LocalHeadOptions options, long featureChannels, Generator generator)
    {
        options.Validate();
        var mlp = ProjectionMlp.Create(
            featureChannels, options.VanillaHiddenChannels, options.VanillaHiddenLayers, (int)featureChannels, hiddenBias: true,
            options.VanillaBatchNormMomentum, 1e-5, generator);
        return new RegionMlpHead(mlp, options.CropSize);
    }

    /// <summary>Same inputs and outputs as <see cref="InstanceReconstructor.forward"/>; the context is ignored.</summary>
    public override LocalHeadOutput forward(Tensor features, Tensor keyBoxes, long[] keySlices)
    {
        using var scope = NewDisposeScope();
        var regions = InstanceReconstructor.PoolRegions(features, keyBoxes, keySlices, _cropSize);   // [2B, N, C]
        long n2 = regions.shape[0], n = regions.shape[1], c = regions.shape[2];
        var z = _mlp.forward(regions.reshape(n2 * n, c)).view(n2, n, c);                         // [2B, N, C]
        var b = (int)(n2 / 2);
        return new LocalHeadOutput(
            regions[..b].MoveToOuterDisposeScope(), regions[b..].MoveToOuterDisposeScope(),
            z[..b].MoveToOuterDisposeScope(), z[b..].MoveToOuterDisposeScope());
    }
}

using ConstCl.Ops;
using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Bottleneck block (spec §1.4, ResNet v1.5):
/// <c>temporal_conv kt×1×1 → BN → ReLU → spatial_conv 1×3×3 (spatial stride) → BN → ReLU → expand_conv 1×1×1 → BN</c>,
/// plus the shortcut (identity, or <c>1×1×1 conv with the stride → BN</c> when the shape changes), then <c>ReLU(sum)</c>.
/// <c>[B, Cin, T, H, W] → [B, 4f, T, H/s, W/s]</c>.
/// </summary>
internal sealed class Bottleneck3d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "temporal_conv")]
    private readonly Conv3d _temporalConv;
    [ComponentName(Name = "temporal_bn")]
    private readonly SafeBatchNorm _temporalBn;
    [ComponentName(Name = "spatial_conv")]
    private readonly Conv3d _spatialConv;
    [ComponentName(Name = "spatial_bn")]
    private readonly SafeBatchNorm _spatialBn;
    [ComponentName(Name = "expand_conv")]
    private readonly Conv3d _expandConv;
    [ComponentName(Name = "expand_bn")]
    private readonly SafeBatchNorm _expandBn;
    [ComponentName(Name = "shortcut_conv")]
    private readonly Conv3d? _shortcutConv;
    [ComponentName(Name = "shortcut_bn")]
    private readonly SafeBatchNorm? _shortcutBn;
    private readonly ConvPaddingMode _padding;
    private readonly int[] _temporalKernel;
    private readonly int[] _spatialStride;

    internal Bottleneck3d(
        Conv3d temporalConv, SafeBatchNorm temporalBn, Conv3d spatialConv, SafeBatchNorm spatialBn, Conv3d expandConv, SafeBatchNorm expandBn,
        Conv3d? shortcutConv, SafeBatchNorm? shortcutBn, ConvPaddingMode padding, int temporalKernel, int spatialStride)
        : base(nameof(Bottleneck3d))
    {
        if ((shortcutConv is null) != (shortcutBn is null))
        {
            throw new ArgumentException("A projection shortcut needs both its conv and its BatchNorm.", nameof(shortcutConv));
        }

        _temporalConv = temporalConv;
        _temporalBn = temporalBn;
        _spatialConv = spatialConv;
        _spatialBn = spatialBn;
        _expandConv = expandConv;
        _expandBn = expandBn;
        _shortcutConv = shortcutConv;
        _shortcutBn = shortcutBn;
        _padding = padding;
        _temporalKernel = [temporalKernel, 1, 1];
        _spatialStride = [1, spatialStride, spatialStride];
        RegisterComponents();
    }

    /// <summary>The temporal convolution (read by the ONNX lowering, as are the layers below).</summary>
    internal Conv3d TemporalConv => _temporalConv;

    /// <summary>The temporal convolution's BatchNorm.</summary>
    internal SafeBatchNorm TemporalNorm => _temporalBn;

    /// <summary>The spatial convolution.</summary>
    internal Conv3d SpatialConv => _spatialConv;

    /// <summary>The spatial convolution's BatchNorm.</summary>
    internal SafeBatchNorm SpatialNorm => _spatialBn;

    /// <summary>The expanding 1×1×1 convolution.</summary>
    internal Conv3d ExpandConv => _expandConv;

    /// <summary>The expanding convolution's BatchNorm.</summary>
    internal SafeBatchNorm ExpandNorm => _expandBn;

    /// <summary>The projection shortcut's convolution, or null for an identity shortcut.</summary>
    internal Conv3d? ShortcutConv => _shortcutConv;

    /// <summary>The projection shortcut's BatchNorm, or null for an identity shortcut.</summary>
    internal SafeBatchNorm? ShortcutNorm => _shortcutBn;

    /// <summary>How the convolutions are padded.</summary>
    internal ConvPaddingMode PaddingMode => _padding;

    /// <summary>True when the block has a projection shortcut.</summary>
    public bool HasProjection => _shortcutConv is not null;

    /// <summary>
    /// One block of width <paramref name="width"/> (output <c>width · Expansion</c>); a projection shortcut is built when
    /// the input channels or the stride differ from the output's (the first block of each stage).
    /// </summary>
    public static Bottleneck3d Create(ResNet3dYOptions options, long inChannels, int width, int temporalKernel, int spatialStride, Generator generator)
    {
        var outChannels = (long)width * options.Expansion;
        var p = options.Padding;
        var temporalConv = BackboneLayers.Conv(inChannels, width, [temporalKernel, 1, 1], [1, 1, 1], p, generator);
        var spatialConv = BackboneLayers.Conv(width, width, [1, 3, 3], [1, spatialStride, spatialStride], p, generator);
        var expandConv = BackboneLayers.Conv(width, outChannels, [1, 1, 1], [1, 1, 1], p, generator);
        Conv3d? shortcutConv = null;
        SafeBatchNorm? shortcutBn = null;
        if (inChannels != outChannels || spatialStride != 1)
        {
            // 'valid' 1×1×1 with the block's stride: identical in both padding modes.
            shortcutConv = BackboneLayers.Conv(inChannels, outChannels, [1, 1, 1], [1, spatialStride, spatialStride], ConvPaddingMode.Symmetric, generator);
            shortcutBn = BackboneLayers.Norm(outChannels, options);
        }

        var expandBn = BackboneLayers.Norm(outChannels, options);
        if (options.ZeroInitResidual)
        {
            BackboneLayers.ZeroGamma(expandBn);
        }

        return new Bottleneck3d(
            temporalConv, BackboneLayers.Norm(width, options), spatialConv, BackboneLayers.Norm(width, options),
            expandConv, expandBn, shortcutConv, shortcutBn, p, temporalKernel, spatialStride);
    }

    /// <summary><c>[B, Cin, T, H, W] → [B, 4f, T, H/s, W/s]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = BackboneLayers.PadIfNeeded(x, _padding, _temporalKernel, [1, 1, 1]);
        h = nn.functional.relu(_temporalBn.forward(BackboneConv.Forward(_temporalConv, h)));                  // [B, f, T, H, W]
        h = BackboneLayers.PadIfNeeded(h, _padding, [1, 3, 3], _spatialStride);
        h = nn.functional.relu(_spatialBn.forward(BackboneConv.Forward(_spatialConv, h)));                    // [B, f, T, H/s, W/s]
        h = _expandBn.forward(BackboneConv.Forward(_expandConv, h));                                       // [B, 4f, T, H/s, W/s]
        var shortcut = _shortcutConv is null ? x : _shortcutBn!.forward(BackboneConv.Forward(_shortcutConv, x));
        return nn.functional.relu(h.add_(shortcut, Scalars.One)).MoveToOuterDisposeScope();
    }
}

using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Basic residual block (R3D-18 style, not in the official code):
/// <c>conv kt×3×3 (stride ts×s×s) → BN → ReLU → conv kt×3×3 → BN</c>, plus the shortcut (identity, or
/// <c>1×1×1 conv with the stride → BN</c> when the shape changes), then <c>ReLU(sum)</c>.
/// <c>[B, Cin, T, H, W] → [B, f, T/ts, H/s, W/s]</c>.
/// </summary>
internal sealed class BasicBlock3d : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv1")]
    private readonly Conv3d _conv1;
    [ComponentName(Name = "bn1")]
    private readonly SafeBatchNorm _bn1;
    [ComponentName(Name = "conv2")]
    private readonly Conv3d _conv2;
    [ComponentName(Name = "bn2")]
    private readonly SafeBatchNorm _bn2;
    [ComponentName(Name = "shortcut_conv")]
    private readonly Conv3d? _shortcutConv;
    [ComponentName(Name = "shortcut_bn")]
    private readonly SafeBatchNorm? _shortcutBn;
    private readonly ConvPaddingMode _padding;
    private readonly int[] _kernel;
    private readonly int[] _stride;

    private BasicBlock3d(
        Conv3d conv1, SafeBatchNorm bn1, Conv3d conv2, SafeBatchNorm bn2, Conv3d? shortcutConv, SafeBatchNorm? shortcutBn,
        ConvPaddingMode padding, int[] kernel, int[] stride)
        : base(nameof(BasicBlock3d))
    {
        _conv1 = conv1;
        _bn1 = bn1;
        _conv2 = conv2;
        _bn2 = bn2;
        _shortcutConv = shortcutConv;
        _shortcutBn = shortcutBn;
        _padding = padding;
        _kernel = kernel;
        _stride = stride;
        RegisterComponents();
    }

    /// <summary>The first convolution (read by the ONNX lowering, as are the layers below).</summary>
    internal Conv3d Conv1 => _conv1;

    /// <summary>The first convolution's BatchNorm.</summary>
    internal SafeBatchNorm Norm1 => _bn1;

    /// <summary>The second convolution.</summary>
    internal Conv3d Conv2 => _conv2;

    /// <summary>The projection shortcut's convolution, or null for an identity shortcut.</summary>
    internal Conv3d? ShortcutConv => _shortcutConv;

    /// <summary>The projection shortcut's BatchNorm, or null for an identity shortcut.</summary>
    internal SafeBatchNorm? ShortcutNorm => _shortcutBn;

    /// <summary>How the convolutions are padded.</summary>
    internal ConvPaddingMode PaddingMode => _padding;

    /// <summary>The BatchNorm whose output joins the shortcut (zero-initialised γ with <see cref="ResNet3dYOptions.ZeroInitResidual"/>).</summary>
    internal SafeBatchNorm LastNorm => _bn2;

    /// <summary>
    /// One block of <paramref name="width"/> output channels; a projection shortcut is built when the channels or the
    /// stride change (the first block of a stage).
    /// </summary>
    public static BasicBlock3d Create(ResNet3dYOptions options, long inChannels, int width, int temporalKernel, int temporalStride, int spatialStride, Generator generator)
    {
        var p = options.Padding;
        int[] kernel = [temporalKernel, 3, 3];
        int[] stride = [temporalStride, spatialStride, spatialStride];
        var conv1 = BackboneLayers.Conv(inChannels, width, kernel, stride, p, generator);
        var conv2 = BackboneLayers.Conv(width, width, kernel, [1, 1, 1], p, generator);
        Conv3d? shortcutConv = null;
        SafeBatchNorm? shortcutBn = null;
        if (inChannels != width || temporalStride != 1 || spatialStride != 1)
        {
            // 'valid' 1×1×1 with the block's stride: identical in both padding modes.
            shortcutConv = BackboneLayers.Conv(inChannels, width, [1, 1, 1], stride, ConvPaddingMode.Symmetric, generator);
            shortcutBn = BackboneLayers.Norm(width, options);
        }

        var block = new BasicBlock3d(conv1, BackboneLayers.Norm(width, options), conv2, BackboneLayers.Norm(width, options), shortcutConv, shortcutBn, p, kernel, stride);
        if (options.ZeroInitResidual)
        {
            BackboneLayers.ZeroGamma(block._bn2);
        }

        return block;
    }

    /// <summary><c>[B, Cin, T, H, W] → [B, f, T/ts, H/s, W/s]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = BackboneLayers.PadIfNeeded(x, _padding, _kernel, _stride);
        h = nn.functional.relu(_bn1.forward(BackboneConv.Forward(_conv1, h)));                      // [B, f, T/ts, H/s, W/s]
        h = BackboneLayers.PadIfNeeded(h, _padding, _kernel, [1, 1, 1]);
        h = _bn2.forward(BackboneConv.Forward(_conv2, h));                                          // [B, f, T/ts, H/s, W/s]
        var shortcut = _shortcutConv is null ? x : _shortcutBn!.forward(BackboneConv.Forward(_shortcutConv, x));
        return nn.functional.relu(h.add_(shortcut, Scalars.One)).MoveToOuterDisposeScope();
    }
}

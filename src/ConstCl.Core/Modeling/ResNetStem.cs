using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Stem: <c>Conv3d 5×7×7 stride (2,2,2), no bias → BN → ReLU → MaxPool 1×3×3 stride (1,2,2)</c> (spec §1.2; the pool is
/// optional, <see cref="ResNet3dYOptions.StemMaxPool"/>).
/// <c>[B, 3, T, H, W] → [B, 64, T/2, H/4, W/4]</c>. With <see cref="InputMode.FrameDifference"/> the clip is replaced by its
/// consecutive-frame differences first (<see cref="FrameDifference"/>).
/// </summary>
internal sealed class ResNetStem : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "conv")]
    private readonly Conv3d _conv;
    [ComponentName(Name = "bn")]
    private readonly SafeBatchNorm _bn;
    [ComponentName(Name = "pool")]
    private readonly MaxPool3d? _pool;
    private readonly ConvPaddingMode _padding;
    private readonly InputMode _inputMode;
    private readonly double _deadZone;
    private readonly int[] _convKernel;
    private readonly int[] _convStride;
    private readonly int[] _poolKernel;
    private readonly int[] _poolStride;

    internal ResNetStem(Conv3d conv, SafeBatchNorm bn, MaxPool3d? pool, ConvPaddingMode padding, int[] convKernel, int[] convStride, int[] poolKernel, int[] poolStride, InputMode inputMode = InputMode.Rgb, double deadZone = 0)
        : base(nameof(ResNetStem))
    {
        _inputMode = inputMode;
        _deadZone = deadZone;
        _conv = conv;
        _bn = bn;
        _pool = pool;
        _padding = padding;
        _convKernel = convKernel;
        _convStride = convStride;
        _poolKernel = poolKernel;
        _poolStride = poolStride;
        RegisterComponents();
    }

    /// <summary>The convolution (read by the ONNX lowering).</summary>
    internal Conv3d Conv => _conv;

    /// <summary>The convolution's BatchNorm.</summary>
    internal SafeBatchNorm Norm => _bn;

    /// <summary>The max-pool, or null when the stem has none.</summary>
    internal MaxPool3d? Pool => _pool;

    /// <summary>How convolutions and the pool are padded.</summary>
    internal ConvPaddingMode PaddingMode => _padding;

    /// <summary>What the stem is fed: the clip or its frame differences.</summary>
    internal InputMode Input => _inputMode;

    /// <summary>The frame-difference dead zone (<see cref="ResNet3dYOptions.FrameDifferenceDeadZone"/>).</summary>
    internal double DeadZone => _deadZone;

    /// <summary>Builds the stem from the backbone options.</summary>
    public static ResNetStem Create(ResNet3dYOptions options, Generator generator)
    {
        var conv = BackboneLayers.Conv(options.InputChannels, options.StemChannels, options.StemKernel, options.StemStride, options.Padding, generator);
        var bn = BackboneLayers.Norm(options.StemChannels, options);
        var k = options.StemPoolKernel;
        var s = options.StemPoolStride;
        var pad = options.Padding == ConvPaddingMode.Symmetric ? (k[0] / 2L, k[1] / 2L, k[2] / 2L) : (0L, 0L, 0L);
        var pool = options.StemMaxPool ? nn.MaxPool3d((k[0], k[1], k[2]), (s[0], s[1], s[2]), pad) : null;
        return new ResNetStem(conv, bn, pool, options.Padding, [.. options.StemKernel], [.. options.StemStride], [.. k], [.. s], options.InputMode, options.FrameDifferenceDeadZone);
    }

    /// <summary><c>[B, Cin, T, H, W] → [B, Cstem, T′, H′, W′]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var input = _inputMode == InputMode.FrameDifference ? FrameDifference.Apply(x, _deadZone) : x;          // [B, Cin, T, H, W]
        var h = BackboneLayers.PadIfNeeded(input, _padding, _convKernel, _convStride);
        h = nn.functional.relu(_bn.forward(BackboneConv.Forward(_conv, h)));                                    // [B, 64, T/2, H/2, W/2]
        if (_pool is null)
        {
            return h.MoveToOuterDisposeScope();
        }

        h = BackboneLayers.PadIfNeeded(h, _padding, _poolKernel, _poolStride, double.NegativeInfinity);
        return _pool.forward(h).MoveToOuterDisposeScope();                                     // [B, 64, T/2, H/4, W/4]
    }
}

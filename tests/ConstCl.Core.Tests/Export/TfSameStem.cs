using ConstCl.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Export;

/// <summary>
/// A stem in TensorFlow 'same' mode, padded explicitly at run time as the spec (§1.7) prescribes:
/// <c>F.pad</c> (zeros) → conv (no padding) → BN → ReLU → <c>F.pad</c> (−∞) → max-pool (no padding). The pads
/// depend on the input size, so the export uses <see cref="OnnxPadding.TfSame"/> (dynamic ONNX SAME_UPPER).
/// </summary>
internal sealed class TfSameStem : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv3d conv;
    private readonly BatchNorm3d bn;
    private readonly MaxPool3d pool;

    public TfSameStem(long inChannels, long outChannels, (long T, long H, long W) kernel, (long T, long H, long W) stride)
        : base(nameof(TfSameStem))
    {
        conv = nn.Conv3d(inChannels, outChannels, kernel, stride: stride, padding: (0, 0, 0), bias: false);
        bn = nn.BatchNorm3d(outChannels);
        pool = nn.MaxPool3d((1, 3, 3), stride: (1, 2, 2));
        RegisterComponents();
    }

    /// <summary>TF 'same' pads in F.pad order <c>(w0, w1, h0, h1, t0, t1)</c> for input sizes (T, H, W).</summary>
    public static long[] TfSamePads(long[] sizes, long[] kernel, long[] stride)
    {
        var pads = new long[6];
        for (var a = 0; a < 3; a++)
        {
            var n = sizes[a];
            var outSize = (n + stride[a] - 1) / stride[a];
            var total = Math.Max(((outSize - 1) * stride[a]) + kernel[a] - n, 0);
            var pair = 2 - a;                                 // F.pad lists the last axis first
            pads[2 * pair] = total / 2;
            pads[(2 * pair) + 1] = total - (total / 2);
        }

        return pads;
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var sizes = x.shape[2..];                                                       // [T, H, W]
        var y = nn.functional.pad(x, TfSamePads(sizes, conv.kernel_size, conv.stride), PaddingModes.Constant, 0.0);
        y = nn.functional.relu(bn.forward(conv.forward(y)));
        var poolPads = TfSamePads(y.shape[2..], pool.kernel_size, pool.stride!);
        y = nn.functional.pad(y, poolPads, PaddingModes.Constant, double.NegativeInfinity);
        return pool.forward(y).MoveToOuterDisposeScope();
    }

    public string Export(OnnxGraphBuilder builder, string input)
    {
        var y = new OnnxConvLayer(conv, bn, Relu: true, Padding: OnnxPadding.TfSame).Export(builder, input);
        return OnnxModuleLowering.LowerMaxPool(builder, pool, y, OnnxPadding.TfSame);
    }
}

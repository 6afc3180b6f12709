using ConstCl.Modeling;

namespace ConstCl.Export;

/// <summary>
/// The ONNX form of the backbone's own modules (<see cref="ResNetStem"/>, <see cref="Bottleneck3d"/>,
/// <see cref="BasicBlock3d"/> and the <see cref="InputMode.FrameDifference"/> transform), built from the layers they
/// expose. It lives in Export, not on the modules, so that Modeling does not depend on Export; each method mirrors its
/// module's <c>forward</c> (the parity tests compare the two). TF-'same' mode becomes dynamic SAME_UPPER pads.
/// </summary>
internal static class BackboneLowering
{
    /// <summary>Stem: (frame difference), conv-BN-ReLU, then the max-pool (padded with −∞ in TF-'same' mode).</summary>
    public static string Stem(OnnxGraphBuilder builder, ResNetStem stem, string input)
    {
        var padding = Padding(stem.PaddingMode);
        var x = stem.Input == InputMode.FrameDifference ? FrameDifference(builder, input, stem.DeadZone) : input;
        var y = new OnnxConvLayer(stem.Conv, stem.Norm, Relu: true, Padding: padding).Export(builder, x);   // [N, 64, T/2, H/2, W/2]
        return stem.Pool is null ? y : OnnxModuleLowering.LowerMaxPool(builder, stem.Pool, y, padding);     // [N, 64, T/2, H/4, W/4]
    }

    /// <summary>Bottleneck: <c>ReLU(convC(convB(convA(x))) + shortcut(x))</c>, each conv with its BN (folded by default).</summary>
    public static string Bottleneck(OnnxGraphBuilder builder, Bottleneck3d block, string input)
    {
        var padding = Padding(block.PaddingMode);
        return new OnnxResidualLayer(
            new OnnxChainLayer(
                new OnnxConvLayer(block.TemporalConv, block.TemporalNorm, Relu: true, Padding: padding),
                new OnnxConvLayer(block.SpatialConv, block.SpatialNorm, Relu: true, Padding: padding),
                new OnnxConvLayer(block.ExpandConv, block.ExpandNorm, Padding: padding)),
            block.ShortcutConv is null ? null : new OnnxConvLayer(block.ShortcutConv, block.ShortcutNorm))
            .Export(builder, input);
    }

    /// <summary>Basic block: <c>ReLU(conv2(conv1(x)) + shortcut(x))</c>, each conv with its BN (folded by default).</summary>
    public static string Basic(OnnxGraphBuilder builder, BasicBlock3d block, string input)
    {
        var padding = Padding(block.PaddingMode);
        return new OnnxResidualLayer(
            new OnnxChainLayer(
                new OnnxConvLayer(block.Conv1, block.Norm1, Relu: true, Padding: padding),
                new OnnxConvLayer(block.Conv2, block.LastNorm, Padding: padding)),
            block.ShortcutConv is null ? null : new OnnxConvLayer(block.ShortcutConv, block.ShortcutNorm))
            .Export(builder, input);
    }

    /// <summary>
    /// <see cref="Modeling.FrameDifference.Apply"/> as nodes: <c>Slice(x, t ≥ 1) − Slice(x, t &lt; T − 1)</c>, then a zero
    /// frame at the end of the time axis; with a dead zone <c>t</c>, <c>Relu(d − t) − Relu(−t − d)</c> in between.
    /// </summary>
    public static string FrameDifference(OnnxGraphBuilder builder, string input, double deadZone = 0)
    {
        var next = builder.Slice(input, [1], [long.MaxValue], [2]);
        var current = builder.Slice(input, [0], [-1], [2]);
        var difference = builder.Sub(next, current);
        if (deadZone > 0)
        {
            var positive = builder.Relu(builder.Sub(difference, builder.FloatScalar("dead_zone", (float)deadZone)));
            var negative = builder.Relu(builder.Sub(builder.FloatScalar("minus_dead_zone", (float)-deadZone), difference));
            difference = builder.Sub(positive, negative);
        }

        return builder.Pad(difference, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
    }

    private static OnnxPadding Padding(ConvPaddingMode mode) =>
        mode == ConvPaddingMode.TensorFlowSame ? OnnxPadding.TfSame : OnnxPadding.Module;
}

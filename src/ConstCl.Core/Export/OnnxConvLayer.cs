using TorchSharp.Modules;

namespace ConstCl.Export;

/// <summary>
/// A 3-D convolution, optionally followed by inference batch norm (folded into the conv when the builder
/// folds) and ReLU: the unit every R3D-50 layer is made of. Stride, dilation and groups are read from
/// the module; padding follows <paramref name="Padding"/>.
/// </summary>
/// <param name="Conv">The convolution (its weight, bias, stride, dilation, groups are read).</param>
/// <param name="Norm">The batch norm after it, or null.</param>
/// <param name="Relu">Whether a ReLU follows.</param>
/// <param name="Padding">Where the pads come from.</param>
/// <param name="Pads">For <see cref="OnnxPadding.Explicit"/>: ONNX order <c>[t0, h0, w0, t1, h1, w1]</c>.</param>
internal sealed record OnnxConvLayer(
    Conv3d Conv,
    BatchNorm? Norm = null,
    bool Relu = false,
    OnnxPadding Padding = OnnxPadding.Module,
    long[]? Pads = null) : IOnnxExportable
{
    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(Conv);
        var y = OnnxModuleLowering.LowerConv(builder, Conv, Norm, input, Padding, Pads);
        return Relu ? builder.Relu(y) : y;
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>Builds the backbone's bias-free convolutions and BatchNorms with the official initialisation.</summary>
internal static class BackboneLayers
{
    /// <summary>
    /// A bias-free Conv3d with VarianceScaling init. With <see cref="ConvPaddingMode.Symmetric"/> it pads <c>k // 2</c> itself;
    /// with TensorFlowSame it pads nothing and the caller applies <see cref="TfSamePadding"/> first.
    /// </summary>
    public static Conv3d Conv(long inChannels, long outChannels, IReadOnlyList<int> kernel, IReadOnlyList<int> stride, ConvPaddingMode padding, Generator generator)
    {
        var pad = padding == ConvPaddingMode.Symmetric ? (kernel[0] / 2L, kernel[1] / 2L, kernel[2] / 2L) : (0L, 0L, 0L);
        var conv = nn.Conv3d(inChannels, outChannels, (kernel[0], kernel[1], kernel[2]), stride: (stride[0], stride[1], stride[2]), padding: pad, bias: false);
        ParameterInit.VarianceScaling(conv.weight!, generator);
        return conv;
    }

    /// <summary>BatchNorm3d with γ = 1, β = 0 (the defaults); a <see cref="SafeBatchNorm"/>, as every ConstCl norm is.</summary>
    public static SafeBatchNorm Norm(long channels, ResNet3dYOptions options) =>
        SafeBatchNorm.Create3d(channels, eps: options.BatchNormEpsilon, momentum: options.BatchNormMomentum);

    /// <summary>Sets a BatchNorm's γ to 0, so a residual branch ending in it starts as the identity (Goyal et al. 2017).</summary>
    public static void ZeroGamma(SafeBatchNorm norm)
    {
        using var _ = no_grad();
        norm.weight!.zero_();
    }

    /// <summary>Applies TF 'same' padding when the mode asks for it; otherwise returns <paramref name="x"/>.</summary>
    public static Tensor PadIfNeeded(Tensor x, ConvPaddingMode padding, IReadOnlyList<int> kernel, IReadOnlyList<int> stride, double value = 0.0) =>
        padding == ConvPaddingMode.TensorFlowSame ? TfSamePadding.Apply(x, kernel, stride, value) : x;
}

using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Works around a defect of the CPU libtorch 2.10 shipped with TorchSharp 0.107.0: the gradient of a Conv3d with respect
/// to its <b>input</b> is wrong (garbage up to 1e29, sometimes NaN, different on every call) when the number of output
/// channels is not a multiple of 16 (seen for 1–15, 17, 20, 24 and 40; 16, 32, 48, 64, 80 and 128 are exact; found with
/// kernels 1×3×3, 3×1×1 and 3×3×3). The forward pass and the weight gradient are right. The
/// <c>Tiny</c> preset has 8-channel convolutions in its stem and res2, so every gradient below res3 was noise: the
/// cause of "Tiny does not learn" (docs/training.md, "Why pre-training did not learn"). Measured here with
/// float32 autograd against float64 autograd of the same convolution (<c>NarrowConvGradientFixTests</c>).
/// <para>The fix computes such a convolution with its weight zero-padded to the next multiple of 16 output channels and keeps the first
/// <c>Cout</c> output channels: the same values and the same weight gradient, and an input gradient from the correct
/// kernel. It applies only when the input needs a gradient, so inference and export are untouched.</para>
/// </summary>
internal static class NarrowConvGradientFix
{
    /// <summary>libtorch's Conv3d input gradient is correct when the output channels are a multiple of this.</summary>
    internal const long ChannelMultiple = 16;

    /// <summary>
    /// <c>conv.forward(x)</c>, through a zero-padded weight when the input gradient would hit the defect (float32 on the CPU,
    /// output channels not a multiple of 16, input that needs a gradient; grouped convolutions are not padded).
    /// <c>[B, Cin, T, H, W] → [B, Cout, T′, H′, W′]</c>.
    /// </summary>
    public static Tensor Forward(Conv3d conv, Tensor x)
    {
        var weight = conv.weight!;
        var outChannels = weight.shape[0];
        if (conv.groups != 1 || !NeedsFix(weight, x))
        {
            return conv.forward(x);
        }

        using var scope = NewDisposeScope();
        var target = (outChannels + ChannelMultiple - 1) / ChannelMultiple * ChannelMultiple;
        long[] padShape = [target - outChannels, .. weight.shape.Skip(1)];
        var padded = cat([weight, zeros(padShape, dtype: weight.dtype, device: weight.device)], 0);   // [16k, Cin, kt, kh, kw]
        var bias = conv.bias is null ? null : cat([conv.bias, zeros(target - outChannels, dtype: weight.dtype, device: weight.device)], 0);
        var y = nn.functional.conv3d(x, padded, bias, conv.stride, conv.padding, conv.dilation, conv.groups);   // [B, 16k, …]
        return y.narrow(1, 0, outChannels).MoveToOuterDisposeScope();                                      // [B, Cout, …]
    }

    /// <summary>Whether <see cref="Forward"/> takes the padded route for this weight and input.</summary>
    internal static bool NeedsFix(Tensor weight, Tensor x) =>
        weight.shape[0] % ChannelMultiple != 0
        && weight.dtype == ScalarType.Float32
        && x.device_type == TorchSharp.DeviceType.CPU
        && x.requires_grad
        && is_grad_enabled();
}

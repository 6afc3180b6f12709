using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// How every backbone convolution runs, around two defects of the CPU libtorch 2.10 that TorchSharp 0.107.0 ships: a
/// 1×1×1 convolution of a channels-last input (<see cref="ChannelsLastLayout"/>) is computed as a matrix product over
/// the channels, because libtorch's own kernel gives wrong values for some channel counts; every other convolution runs
/// through <see cref="NarrowConvGradientFix"/>, which pads narrow weights where the input gradient would be wrong.
/// </summary>
internal static class BackboneConv
{
    /// <summary><c>[B, Cin, T, H, W] → [B, Cout, T′, H′, W′]</c>.</summary>
    public static Tensor Forward(Conv3d conv, Tensor x) =>
        IsPointwise(conv) && x.device_type == DeviceType.CPU && ChannelsLastLayout.IsChannelsLast(x)
            ? PointwiseAsMatrixProduct(conv, x)
            : NarrowConvGradientFix.Forward(conv, x);

    /// <summary>A 1×1×1 kernel without padding, dilation or groups: a per-position linear map of the channels.</summary>
    internal static bool IsPointwise(Conv3d conv)
    {
        var kernel = conv.weight!.shape;
        return kernel[2] == 1 && kernel[3] == 1 && kernel[4] == 1
            && conv.groups == 1
            && (conv.padding ?? []).All(p => p == 0);
    }

    /// <summary>
    /// The 1×1×1 convolution as <c>x[:, :, ::st, ::sh, ::sw]ᵀ · Wᵀ (+ bias)</c> over the channels; for a channels-last
    /// <paramref name="x"/> the result is channels-last too. <c>[B, Cin, T, H, W] → [B, Cout, T′, H′, W′]</c>.
    /// </summary>
    internal static Tensor PointwiseAsMatrixProduct(Conv3d conv, Tensor x)
    {
        using var scope = NewDisposeScope();
        var weight = conv.weight!;
        var strided = x;
        for (var d = 0; d < 3; d++)
        {
            var step = conv.stride[d];
            if (step != 1)
            {
                strided = strided.slice(d + 2, 0, strided.shape[d + 2], step);
            }
        }

        var channelsLastView = strided.permute(0, 2, 3, 4, 1);                               // [B, T′, H′, W′, Cin]
        var y = channelsLastView.matmul(weight.view(weight.shape[0], weight.shape[1]).t());    // [B, T′, H′, W′, Cout]
        if (conv.bias is { } bias)
        {
            y = y.add(bias, Scalars.One);
        }

        return y.permute(0, 4, 1, 2, 3).MoveToOuterDisposeScope();                          // [B, Cout, T′, H′, W′]
    }
}

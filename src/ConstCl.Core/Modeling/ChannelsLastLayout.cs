using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// libtorch's channels-last-3d layout for the basic-block backbone on the CPU (strides of <c>[B, T, H, W, C]</c> under the
/// logical shape <c>[B, C, T, H, W]</c>). Convolutions, BatchNorm and element-wise ops keep the layout they are given,
/// and libtorch's oneDNN kernels run channels-last 3-D convolutions without the reorders the default layout costs on
/// every call: a <c>Small</c> training step takes 1.3–1.45× less time (docs/model.md, "Channels-last layout").
/// <para>The CPU libtorch 2.10 shipped with TorchSharp 0.107.0 computes <b>wrong forward values</b> for some channels-last
/// 1×1×1 convolutions (relative errors of 0.4–1 for 80, 112, 320 and 512 output channels; found by comparing with
/// float64, <c>ChannelsLastLayoutTests</c>), so <see cref="BackboneConv"/> computes 1×1×1 convolutions of channels-last
/// inputs as a matrix product over the channels instead.
/// Every other kernel measured (1×3×3, 3×3×3, 3×1×1, 3×5×5; 3–128 input and 8–512 output channels; strides 1 and 2) is
/// exact in value and in both gradients. TorchSharp 0.107 has no memory-format argument, so the layout is made by a
/// permuted copy.</para>
/// </summary>
internal static class ChannelsLastLayout
{
    /// <summary>
    /// <c>[B, C, T, H, W]</c> with channels-last strides on the CPU; tensors on other devices, tensors that are not 5-D
    /// and tensors already in the layout are returned themselves (not a copy).
    /// </summary>
    public static Tensor Apply(Tensor x)
    {
        if (x.dim() != 5 || x.device_type != TorchSharp.DeviceType.CPU || IsChannelsLast(x))
        {
            return x;
        }

        using var scope = NewDisposeScope();
        return x.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3).MoveToOuterDisposeScope();
    }

    /// <summary>Whether the strides of a 5-D tensor are those of a dense channels-last-3d tensor (size-1 dimensions ignored).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 5)
        {
            return false;
        }

        var shape = x.shape;
        var strides = x.stride();
        long expected = 1;
        foreach (var dim in new[] { 1, 4, 3, 2, 0 })
        {
            if (shape[dim] != 1 && strides[dim] != expected)
            {
                return false;
            }

            expected *= shape[dim];
        }

        return true;
    }
}

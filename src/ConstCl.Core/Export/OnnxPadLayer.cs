namespace ConstCl.Export;

/// <summary>
/// An explicit constant pad of a 5-D tensor <c>[N, C, T, H, W]</c>, given in PyTorch's <c>F.pad</c> order
/// (last axis first: <c>(w0, w1, h0, h1, t0, t1)</c>). Use −∞ before a max-pool, 0 before a conv.
/// </summary>
/// <param name="TorchPads">Six pads in <c>F.pad</c> order: <c>(w0, w1, h0, h1, t0, t1)</c>.</param>
/// <param name="Value">The constant written into the padding.</param>
internal sealed record OnnxPadLayer(long[] TorchPads, float Value = 0f) : IOnnxExportable
{
    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Pad(input, ToOnnxPads(TorchPads, rank: 5), Value);
    }

    /// <summary>
    /// Converts <c>F.pad</c> pads (pairs from the last axis backwards) into ONNX <c>Pad</c> pads for a tensor
    /// of <paramref name="rank"/> axes (all begins, then all ends; unpadded leading axes get 0).
    /// </summary>
    public static long[] ToOnnxPads(long[] torchPads, int rank)
    {
        ArgumentNullException.ThrowIfNull(torchPads);
        if (torchPads.Length % 2 != 0 || torchPads.Length / 2 > rank)
        {
            throw new ArgumentException(
                $"F.pad pads must come in (before, after) pairs for at most {rank} axes; got {torchPads.Length} values.", nameof(torchPads));
        }

        var onnx = new long[2 * rank];
        for (var pair = 0; pair < torchPads.Length / 2; pair++)
        {
            var axis = rank - 1 - pair;
            onnx[axis] = torchPads[2 * pair];
            onnx[rank + axis] = torchPads[(2 * pair) + 1];
        }

        return onnx;
    }
}

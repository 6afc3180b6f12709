namespace ConstCl.Export;

/// <summary>
/// Something that can write itself into an ONNX graph: a TorchSharp module (or an adapter over one)
/// whose inference forward pass is expressed with <see cref="OnnxGraphBuilder"/> nodes. Implement it on a
/// custom module whose <c>forward</c> the generic lowering cannot see (fields, explicit pads, branches);
/// lower the children with <see cref="OnnxModuleLowering.Lower"/> or the ready-made layers
/// (<see cref="OnnxConvLayer"/>, <see cref="OnnxResidualLayer"/>, <see cref="OnnxChainLayer"/>, <see cref="OnnxPadLayer"/>).
/// </summary>
internal interface IOnnxExportable
{
    /// <summary>
    /// Emits the nodes of this layer's inference forward pass and returns the name of the output value.
    /// </summary>
    /// <param name="builder">The graph being built (its <see cref="OnnxGraphBuilder.FoldBatchNorms"/> says whether to fold BN).</param>
    /// <param name="input">Name of the input value, <c>[N, C, T, H, W]</c> for backbone layers.</param>
    /// <returns>Name of the value this layer produces.</returns>
    string Export(OnnxGraphBuilder builder, string input);
}

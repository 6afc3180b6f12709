using TorchSharp;

namespace ConstCl.Export;

/// <summary>
/// A TorchSharp module lowered by its type (<see cref="OnnxModuleLowering.Lower"/>), so plain modules
/// can stand in a <see cref="OnnxChainLayer"/> or a <see cref="OnnxResidualLayer"/>.
/// </summary>
/// <param name="Module">The module (Conv3d, BatchNorm3d, ReLU, MaxPool3d, ConstantPad3d, Sequential, … or an <see cref="IOnnxExportable"/>).</param>
internal sealed record OnnxModuleLayer(torch.nn.Module Module) : IOnnxExportable
{
    /// <inheritdoc />
    public string Export(OnnxGraphBuilder builder, string input) => OnnxModuleLowering.Lower(builder, Module, input);
}

using ConstCl.Export;
using ConstCl.Modeling;
using TorchSharp;
using TorchSharp.Modules;

namespace ConstCl.MLNet;

/// <summary>
/// Describes the inference forward pass of one <see cref="ResNet3dY"/> branch for the ONNX exporter:
/// <c>stem → res2 → res3 → res4 → res5 (or res5_local)</c>, each bottleneck as conv-BN-ReLU ×2, conv-BN, shortcut, add,
/// ReLU. Walks the modules by their state-dict names (<c>stem.conv</c>, <c>res2.0.temporal_conv</c>, …), so it
/// needs no access to private fields. Adapter for feat/embed's <c>VideoEncoder.ExportOnnx</c> until that lands.
/// </summary>
internal sealed class BackboneOnnxLayer : IOnnxExportable
{
    private readonly ResNet3dY _backbone;
    private readonly BackboneBranch _branch;
    private readonly OnnxPadding _padding;

    public BackboneOnnxLayer(ResNet3dY backbone, BackboneBranch branch, ConvPaddingMode padding)
    {
        _backbone = backbone;
        _branch = branch;
        _padding = padding == ConvPaddingMode.Symmetric ? OnnxPadding.Module : OnnxPadding.TfSame;
    }

    public string Export(OnnxGraphBuilder builder, string input)
    {
        var children = _backbone.named_children().ToDictionary(c => c.name, c => c.module);
        var stem = Children(children["stem"]);
        var x = OnnxModuleLowering.LowerConv(builder, (Conv3d)stem["conv"], (BatchNorm)stem["bn"], input, _padding, null);
        x = builder.Relu(x);                                                          // [N, 64, T/2, H/2, W/2]
        x = OnnxModuleLowering.LowerMaxPool(builder, (MaxPool3d)stem["pool"], x, _padding);   // [N, 64, T/2, H/4, W/4]
        var head = _branch == BackboneBranch.Global ? "res5" : "res5_local";
        foreach (var stage in new[] { "res2", "res3", "res4", head })
        {
            foreach (var (_, block) in children[stage].named_children())
            {
                x = ExportBottleneck(builder, Children(block), x);
            }
        }

        return x;                                                                     // [N, D, T′, H′, W′]
    }

    private string ExportBottleneck(OnnxGraphBuilder builder, IReadOnlyDictionary<string, torch.nn.Module> m, string input)
    {
        var h = builder.Relu(OnnxModuleLowering.LowerConv(builder, (Conv3d)m["temporal_conv"], (BatchNorm)m["temporal_bn"], input, _padding, null));
        h = builder.Relu(OnnxModuleLowering.LowerConv(builder, (Conv3d)m["spatial_conv"], (BatchNorm)m["spatial_bn"], h, _padding, null));
        h = OnnxModuleLowering.LowerConv(builder, (Conv3d)m["expand_conv"], (BatchNorm)m["expand_bn"], h, _padding, null);
        // The projection shortcut is 'valid' 1×1×1 in both padding modes.
        var shortcut = m.TryGetValue("shortcut_conv", out var sc)
            ? OnnxModuleLowering.LowerConv(builder, (Conv3d)sc, (BatchNorm)m["shortcut_bn"], input, OnnxPadding.Module, null)
            : input;
        return builder.Relu(builder.Add(h, shortcut));
    }

    private static Dictionary<string, torch.nn.Module> Children(torch.nn.Module module) =>
        module.named_children().ToDictionary(c => c.name, c => c.module);
}

using ConstCl.Export;
using Onnx;
using TorchSharp;

namespace ConstCl.Core.Tests.Export;

/// <summary>
/// What the exported file declares, checked on the protobuf in C#: IR 8, opset 18 (default domain only),
/// input/output names and (symbolic) shapes per layout, the op set, folding, determinism, and errors.
/// </summary>
public sealed class OnnxExporterStructureTests
{
    [Fact]
    public void ClipsLayout_DeclaresOpset18_SymbolicBatch_AndEmbeddingWidth()
    {
        using var net = ExportTestNetworks.Symmetric(seed: 1);
        var model = OnnxExporter.ExportModel(net);

        Assert.Equal(8, model.IrVersion);
        var opset = Assert.Single(model.OpsetImport);
        Assert.Equal(string.Empty, opset.Domain);
        Assert.Equal(18, opset.Version);

        var input = Assert.Single(model.Graph.Input);
        Assert.Equal("clips", input.Name);
        Assert.Equal((int)TensorProto.Types.DataType.Float, input.Type.TensorType.ElemType);
        Assert.Equal(["N", "3", "T", "H", "W"], Dims(input));
        var output = Assert.Single(model.Graph.Output);
        Assert.Equal("embedding", output.Name);
        Assert.Equal(["N", "16"], Dims(output));
        Assert.Contains(model.MetadataProps, p => p.Key == "constcl.embedding_dimension" && p.Value == "16");
    }

    [Fact]
    public void FixedSizes_AreDeclared_WhenGiven()
    {
        using var net = ExportTestNetworks.Symmetric(seed: 1);
        var model = OnnxExporter.ExportModel(net, new OnnxExportOptions { Frames = 16, Height = 224, Width = 224, InputName = "video", OutputName = "z" });
        Assert.Equal(["N", "3", "16", "224", "224"], Dims(model.Graph.Input[0]));
        Assert.Equal("video", model.Graph.Input[0].Name);
        Assert.Equal("z", model.Graph.Output[0].Name);
    }

    [Fact]
    public void FlatLayout_DeclaresOneUnknownDim_ShapeInput_AndOneRowOutput()
    {
        using var net = ExportTestNetworks.Symmetric(seed: 1);
        var model = OnnxExporter.ExportModel(net, new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips });

        Assert.Equal(2, model.Graph.Input.Count);
        Assert.Equal("clips", model.Graph.Input[0].Name);
        Assert.Equal(["1", "L"], Dims(model.Graph.Input[0]));           // ML.NET: exactly one unknown dim, first fixed 1
        Assert.Equal("clip_shape", model.Graph.Input[1].Name);
        Assert.Equal((int)TensorProto.Types.DataType.Int64, model.Graph.Input[1].Type.TensorType.ElemType);
        Assert.Equal(["5"], Dims(model.Graph.Input[1]));
        Assert.Equal(["1", "16"], Dims(model.Graph.Output[0]));
        var first = model.Graph.Node[0];
        Assert.Equal("Reshape", first.OpType);
        Assert.Equal(["clips", "clip_shape"], first.Input);
    }

    [Fact]
    public void Folding_RemovesEveryBatchNormalization_AndKeepsOneConvPerConv()
    {
        // Symmetric net: 1 stem conv + 4 (projection block) + 3 (identity block) = 8 convs, each with a BN.
        using var net = ExportTestNetworks.Symmetric(seed: 1);
        var folded = OnnxExporter.ExportModel(net, new OnnxExportOptions { FoldBatchNorm = true });
        var unfolded = OnnxExporter.ExportModel(net, new OnnxExportOptions { FoldBatchNorm = false });

        Assert.Equal(0, Count(folded, "BatchNormalization"));
        Assert.Equal(8, Count(folded, "Conv"));
        Assert.Equal(8, Count(unfolded, "BatchNormalization"));
        Assert.Equal(8, Count(unfolded, "Conv"));
        Assert.Equal(2, Count(folded, "Add"));                              // one residual Add per block
        Assert.Equal(1, Count(folded, "MaxPool"));

        // Only ops of the documented set appear.
        string[] allowed = ["Conv", "BatchNormalization", "Relu", "MaxPool", "Pad", "Add", "Mul", "ReduceMean", "ReduceL2", "Max", "Div", "Reshape", "Identity"];
        Assert.All(folded.Graph.Node.Concat(unfolded.Graph.Node), n => Assert.Contains(n.OpType, allowed));

        // Conv attributes follow the module: stem kernel 3×5×5, stride (1,2,2), symmetric pads (1,2,2).
        var stem = folded.Graph.Node.First(n => n.OpType == "Conv");
        Assert.Equal([3L, 5, 5], stem.Attribute.Single(a => a.Name == "kernel_shape").Ints);
        Assert.Equal([1L, 2, 2], stem.Attribute.Single(a => a.Name == "strides").Ints);
        Assert.Equal([1L, 2, 2, 1, 2, 2], stem.Attribute.Single(a => a.Name == "pads").Ints);
    }

    [Fact]
    public void TfSame_EmitsSameUpperAutoPad()
    {
        using var net = ExportTestNetworks.TfSame(seed: 1);
        var model = OnnxExporter.ExportModel(net);
        var stemConv = model.Graph.Node.First(n => n.OpType == "Conv");
        var pool = model.Graph.Node.Single(n => n.OpType == "MaxPool");
        Assert.Equal("SAME_UPPER", stemConv.Attribute.Single(a => a.Name == "auto_pad").S.ToStringUtf8());
        Assert.Equal("SAME_UPPER", pool.Attribute.Single(a => a.Name == "auto_pad").S.ToStringUtf8());
    }

    [Fact]
    public void Export_IsDeterministic()
    {
        using var net = ExportTestNetworks.ExplicitPads(seed: 2);
        Assert.Equal(OnnxExporter.Export(net), OnnxExporter.Export(net));
    }

    [Fact]
    public void UnsupportedModule_ThrowsNamingItsType()
    {
        using var net = torch.nn.Sequential(("conv", torch.nn.Conv3d(3, 4, 1)), ("act", torch.nn.GELU()));
        var ex = Assert.Throws<NotSupportedException>(() => OnnxExporter.ExportModel(net));
        Assert.Contains("GELU", ex.Message);
        Assert.Contains("IOnnxExportable", ex.Message);
    }

    [Fact]
    public void BadOptions_ThrowNamingTheOption()
    {
        using var net = ExportTestNetworks.Symmetric(seed: 1);
        var same = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportModel(net, new OnnxExportOptions { OutputName = "clips" }));
        Assert.Contains("names must differ", same.Message);
        var height = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportModel(net, new OnnxExportOptions { Height = 0 }));
        Assert.Equal("Height", height.ParamName);
        var scale = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportModel(net, new OnnxExportOptions { InputScale = 0f }));
        Assert.Equal("InputScale", scale.ParamName);
    }

    [Fact]
    public void UnknownEmbeddingWidth_AsksForTheOption()
    {
        // An encoder with no conv/linear gives the exporter no width to declare.
        using var net = torch.nn.Sequential(("relu", torch.nn.ReLU()));
        var ex = Assert.Throws<InvalidOperationException>(() => OnnxExporter.ExportModel(net));
        Assert.Contains("EmbeddingDimension", ex.Message);
        var model = OnnxExporter.ExportModel(net, new OnnxExportOptions { EmbeddingDimension = 3 });
        Assert.Equal(["N", "3"], Dims(model.Graph.Output[0]));
    }

    private static string[] Dims(ValueInfoProto value) =>
        value.Type.TensorType.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam
            ? d.DimParam
            : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static int Count(ModelProto model, string op) => model.Graph.Node.Count(n => n.OpType == op);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using ConstCl.Checkpoints;
using ConstCl.Export;
using ConstCl.Modeling;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.MLNet;

/// <summary>
/// The frozen encoder as ML.NET needs it: loaded from a <c>.constcl</c> encoder file, run batched in TorchSharp, and
/// exported to the FlatClips ONNX model the saved chain scores. Adapter for feat/embed's <c>VideoEncoder</c> and
/// <c>VideoEmbedder</c> until they land (the only class here that touches the backbone).
/// </summary>
internal sealed class VideoEncoderAdapter : IDisposable
{
    internal static readonly JsonSerializerOptions JsonOptions = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly ResNet3dY _backbone;

    private VideoEncoderAdapter(ResNet3dY backbone, ConstClModelOptions options, string sha256)
    {
        _backbone = backbone;
        ModelOptions = options;
        WeightsSha256 = sha256;
        _backbone.eval();
    }

    /// <summary>The options the encoder was built from.</summary>
    public ConstClModelOptions ModelOptions { get; }

    /// <summary>SHA-256 of the weights section (identifies the encoder).</summary>
    public string WeightsSha256 { get; }

    /// <summary>Embedding size D (channels of one res5 branch).</summary>
    public int Dimension => _backbone.OutputChannels;

    /// <summary>The model-options JSON written into encoder files.</summary>
    public static string ToJson(ConstClModelOptions options) => JsonSerializer.Serialize(options, JsonOptions);

    /// <summary>Loads and verifies an encoder file; throws naming the file when it is missing, corrupt or not a ResNet3dY.</summary>
    public static VideoEncoderAdapter Load(string encoderPath)
    {
        using var contents = EncoderFile.Load(encoderPath);
        ConstClModelOptions options;
        try
        {
            options = JsonSerializer.Deserialize<ConstClModelOptions>(contents.ModelOptionsJson, JsonOptions)
                ?? throw new InvalidDataException("empty model options");
            options.Validate();
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or ArgumentException)
        {
            throw new CorruptFileException(encoderPath, $"the model options cannot be read as ConstClModelOptions ({ex.Message})", ex);
        }

        var backbone = ResNet3dY.Create(options.Backbone, new Generator(0));
        contents.LoadInto(backbone);
        return new VideoEncoderAdapter(backbone, options, contents.WeightsSha256);
    }

    /// <summary>Wraps an in-memory backbone (just pre-trained); the caller keeps ownership of nothing: this adapter disposes it.</summary>
    public static VideoEncoderAdapter FromBackbone(ResNet3dY backbone, ConstClModelOptions options, string sha256) => new(backbone, options, sha256);

    /// <summary>
    /// Embeds videos whose clips are already prepared: each entry is <c>[K·C, 3, T, S, S]</c> flattened. All entries
    /// go through the network as one batch; returns one L2-normalised D-vector per entry (mean of its clip features).
    /// </summary>
    public float[][] Embed(IReadOnlyList<(float[] Data, long[] Shape)> videos, BackboneBranch branch)
    {
        if (videos.Count == 0)
        {
            return [];
        }

        var per = videos[0].Shape;
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var parts = videos.Select(v => torch.tensor(v.Data, v.Shape)).ToArray();
        var batch = torch.cat(parts, 0);                                              // [V·K·C, 3, T, S, S]
        var features = _backbone.ForwardBranch(batch, branch).mean([2, 3, 4]);      // [V·K·C, D]
        var result = new float[videos.Count][];
        long row = 0;
        for (var i = 0; i < videos.Count; i++)
        {
            var n = videos[i].Shape[0];
            var mean = features.narrow(0, row, n).mean([0], keepdim: true);         // [1, D]
            var unit = nn.functional.normalize(mean, p: 2, dim: 1, eps: 1e-12);     // [1, D]
            result[i] = unit.data<float>().ToArray();
            row += n;
        }

        return result;
    }

    /// <summary>
    /// The FlatClips ONNX model of one branch, reshaped for ML.NET: inputs <c>{prefix}clips</c> float <c>[1, L]</c>,
    /// <c>{prefix}clip_shape</c> int64 <c>[5]</c>, <c>{prefix}clip_weight</c> float <c>[1]</c> (1 for a valid video,
    /// 0 to emit the zero vector); output <c>{prefix}embedding</c> float <c>[D]</c>, so that ML.NET types it as a
    /// plain <c>Vector&lt;Single, D&gt;</c> like the in-process column (a <c>[1, D]</c> output would be
    /// <c>Vector&lt;Single, 1, D&gt;</c>).
    /// </summary>
    public byte[] ExportFlatOnnx(BackboneBranch branch, string prefix)
    {
        var options = new OnnxExportOptions
        {
            InputLayout = OnnxInputLayout.FlatClips,
            InputName = prefix + "clips",
            ShapeInputName = prefix + "clip_shape",
            OutputName = prefix + "embedding",
            EmbeddingDimension = Dimension,
        };
        var model = OnnxExporter.ExportModel(new BackboneOnnxLayer(_backbone, branch, ModelOptions.Backbone.Padding), options);
        var graph = model.Graph;
        var output = graph.Output.Single();
        var name = output.Name;
        var producer = graph.Node.Single(n => n.Output.Contains(name));
        var embedding2d = name + "_2d";
        producer.Output[producer.Output.IndexOf(name)] = embedding2d;                 // [1, D]

        var weight = graph.Input.Single(i => i.Name == options.ShapeInputName).Clone();
        weight.Name = prefix + "clip_weight";
        weight.Type.TensorType.ElemType = (int)TensorProto.Types.DataType.Float;
        weight.Type.TensorType.Shape.Dim.Clear();
        weight.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1 });
        graph.Input.Add(weight);

        var shape = new TensorProto { Name = name + "_shape", DataType = (int)TensorProto.Types.DataType.Int64 };
        shape.Dims.Add(1);
        shape.Int64Data.Add(Dimension);
        graph.Initializer.Add(shape);
        var weighted = new NodeProto { OpType = "Mul", Name = name + "_weighted" };
        weighted.Input.Add(embedding2d);
        weighted.Input.Add(weight.Name);
        weighted.Output.Add(name + "_weighted");                                     // [1, D] · [1]
        var reshape = new NodeProto { OpType = "Reshape", Name = name + "_flat" };
        reshape.Input.Add(weighted.Output[0]);
        reshape.Input.Add(shape.Name);
        reshape.Output.Add(name);                                                    // [D]
        graph.Node.Add(weighted);
        graph.Node.Add(reshape);

        output.Type.TensorType.Shape.Dim.Clear();
        output.Type.TensorType.Shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = Dimension });
        return model.ToByteArray();
    }

    /// <summary>Saves the encoder as a <c>.constcl</c> file; returns the weights' SHA-256.</summary>
    public string Save(string path) => EncoderFile.Save(path, _backbone, ToJson(ModelOptions));

    public void Dispose() => _backbone.Dispose();
}

using ConstCl.Runtime;
using ConstCl.Embedding;
using ConstCl.Export;
using ConstCl.Modeling;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.MLNet;

/// <summary>
/// The frozen encoder as ML.NET needs it, over Core's <see cref="VideoEncoder"/>: loaded from a <c>.constcl</c> encoder
/// file, run batched across videos in TorchSharp, and exported to the FlatClips ONNX model the saved chain scores.
/// </summary>
internal sealed class VideoEncoderAdapter : IDisposable
{
    private readonly VideoEncoder _encoder;

    private VideoEncoderAdapter(VideoEncoder encoder)
    {
        _encoder = encoder;
    }

    /// <summary>The options the encoder was built from.</summary>
    public ConstClModelOptions ModelOptions => _encoder.Options;

    /// <summary>The branch the embedding comes from.</summary>
    public BackboneBranch Branch => _encoder.Branch;

    /// <summary>Hash of the encoder's weights and branch (identifies the encoder).</summary>
    public string Hash => _encoder.Hash;

    /// <summary>Embedding size D (channels of one res5 branch).</summary>
    public int Dimension => _encoder.EmbeddingDimension;

    /// <summary>Loads and verifies an encoder file; throws naming the file when it is missing or corrupt.</summary>
    public static VideoEncoderAdapter Load(string encoderPath, BackboneBranch branch, ComputeDevice device = default) => new(VideoEncoder.Load(encoderPath, branch, device));

    /// <summary>
    /// Embeds videos whose clips are already prepared: each entry is <c>[K·C, 3, T, S, S]</c> flattened. All entries
    /// go through the network as one batch; returns one L2-normalised D-vector per entry (mean of its clip features).
    /// </summary>
    public float[][] Embed(IReadOnlyList<(float[] Data, long[] Shape)> videos)
    {
        if (videos.Count == 0)
        {
            return [];
        }

        using var scope = torch.NewDisposeScope();
        var batch = torch.cat(videos.Select(v => torch.tensor(v.Data, v.Shape)).ToArray(), 0);   // [V·K·C, 3, T, S, S]
        var features = _encoder.Encode(batch);                                                  // [V·K·C, D]
        var result = new float[videos.Count][];
        long row = 0;
        for (var i = 0; i < videos.Count; i++)
        {
            var n = videos[i].Shape[0];
            var mean = features.narrow(0, row, n).mean([0], keepdim: true);                      // [1, D]
            var unit = nn.functional.normalize(mean, p: 2, dim: 1, eps: 1e-12);                  // [1, D]
            result[i] = unit.data<float>().ToArray();
            row += n;
        }

        return result;
    }

    /// <summary>
    /// The FlatClips ONNX model, reshaped for ML.NET: inputs <c>{prefix}clips</c> float <c>[1, L]</c>,
    /// <c>{prefix}clip_shape</c> int64 <c>[5]</c>, <c>{prefix}clip_weight</c> float <c>[1]</c> (1 for a valid video,
    /// 0 to emit the zero vector); output <c>{prefix}embedding</c> float <c>[D]</c>, so that ML.NET types it as a
    /// plain <c>Vector&lt;Single, D&gt;</c> like the in-process column (a <c>[1, D]</c> output would be
    /// <c>Vector&lt;Single, 1, D&gt;</c>). With <paramref name="standardization"/> the L2-normalised embedding is
    /// standardised in the graph, <c>Mul(Sub(e, mean), scale)</c>, before the weight (so a skipped video still gives 0).
    /// </summary>
    public byte[] ExportFlatOnnx(string prefix, EmbeddingStandardization? standardization = null)
    {
        var options = new OnnxExportOptions
        {
            InputLayout = OnnxInputLayout.FlatClips,
            InputName = prefix + "clips",
            ShapeInputName = prefix + "clip_shape",
            OutputName = prefix + "embedding",
        };
        var model = ModelProto.Parser.ParseFrom(_encoder.ExportOnnx(options));
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
        var beforeWeight = embedding2d;
        if (standardization is not null)
        {
            // [1, D] − mean[1, D], then · scale[1, D]: the same float32 operations as EmbeddingStandardization.Apply.
            graph.Initializer.Add(FloatRow(name + "_mean", standardization.Mean));
            graph.Initializer.Add(FloatRow(name + "_scale", standardization.Scale));
            var centred = new NodeProto { OpType = "Sub", Name = name + "_centred" };
            centred.Input.Add(embedding2d);
            centred.Input.Add(name + "_mean");
            centred.Output.Add(name + "_centred");                                   // [1, D]
            var scaled = new NodeProto { OpType = "Mul", Name = name + "_standardized" };
            scaled.Input.Add(centred.Output[0]);
            scaled.Input.Add(name + "_scale");
            scaled.Output.Add(name + "_standardized");                               // [1, D]
            graph.Node.Add(centred);
            graph.Node.Add(scaled);
            beforeWeight = scaled.Output[0];
        }

        var weighted = new NodeProto { OpType = "Mul", Name = name + "_weighted" };
        weighted.Input.Add(beforeWeight);
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

    private static TensorProto FloatRow(string name, float[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(1);
        tensor.Dims.Add(values.Length);
        tensor.FloatData.Add(values);
        return tensor;
    }

    /// <summary>Saves the encoder as a <c>.constcl</c> file; returns the weights' SHA-256.</summary>
    public string Save(string path) => _encoder.Save(path);

    public void Dispose() => _encoder.Dispose();
}

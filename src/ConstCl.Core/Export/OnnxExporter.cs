using System.Globalization;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using ConstCl.IO;

namespace ConstCl.Export;

/// <summary>
/// Exports a frozen video encoder to ONNX (IR 8, opset 18; ops: Conv, BatchNormalization (only when not
/// folded), Relu, MaxPool, Pad, Add, Mul, ReduceMean, ReduceL2, Max, Div, Reshape, Identity) so that ONNX
/// Runtime can run it without TorchSharp. The graph is
/// <c>clips → [scale] → encoder → global average pool → [mean over clips] → [L2 normalise] → [standardise] → [· clip weight] → embedding</c>;
/// see <see cref="OnnxInputLayout"/> for the two input layouts and <c>docs/onnx-export.md</c> for details.
/// The encoder is exported in inference mode (batch norm uses its running statistics) whatever its
/// current train/eval mode; its weights are only read.
/// </summary>
public static class OnnxExporter
{
    /// <summary>Builds the ONNX model of <paramref name="encoder"/>.</summary>
    /// <param name="encoder">A module mapping <c>[N, 3, T, H, W]</c> to features <c>[N, D, T′, H′, W′]</c> (or <c>[N, D]</c>
    /// with <see cref="OnnxExportOptions.GlobalAveragePool"/> off), built from the supported module types.</param>
    /// <param name="options">Export options; null uses the defaults.</param>
    /// <exception cref="NotSupportedException">A module in the tree has no ONNX lowering.</exception>
    public static ModelProto ExportModel(torch.nn.Module encoder, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        return ExportModel(new OnnxModuleLayer(encoder), options);
    }

    /// <summary>Serialised ONNX bytes of <paramref name="encoder"/> (for <c>ApplyOnnxModel(modelBytes: …)</c> or ONNX Runtime).</summary>
    /// <param name="encoder">The encoder, as for <see cref="ExportModel(torch.nn.Module, OnnxExportOptions?)"/>.</param>
    /// <param name="options">Export options; null uses the defaults.</param>
    public static byte[] Export(torch.nn.Module encoder, OnnxExportOptions? options = null) => ExportModel(encoder, options).ToByteArray();

    /// <summary>Writes the ONNX model of <paramref name="encoder"/> to <paramref name="path"/> (temp file, then rename).</summary>
    /// <param name="encoder">The encoder, as for <see cref="ExportModel(torch.nn.Module, OnnxExportOptions?)"/>.</param>
    /// <param name="path">Destination <c>.onnx</c> file; its folder is created if missing; an existing file is replaced.</param>
    /// <param name="options">Export options; null uses the defaults.</param>
    public static void ExportToFile(torch.nn.Module encoder, string path, OnnxExportOptions? options = null) =>
        WriteAtomically(ExportModel(encoder, options), path);

    /// <summary>Builds the ONNX model of an encoder described in the layer IR.</summary>
    internal static ModelProto ExportModel(IOnnxExportable encoder, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        options ??= new OnnxExportOptions();
        options.Validate();
        var flat = options.InputLayout == OnnxInputLayout.FlatClips;
        var b = new OnnxGraphBuilder(options.GraphName, options.FoldBatchNorm);

        string x;
        if (flat)
        {
            // ML.NET feeds an unknown-size float vector as [1, L]; a fully fixed or two-symbolic-dim input fails there.
            var clips = b.AddInput(options.InputName, TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1), OnnxDimension.Symbolic("L"));
            var shape = b.AddInput(options.ShapeInputName, TensorProto.Types.DataType.Int64, OnnxDimension.Fixed(5));
            x = b.Reshape(clips, shape);                                                   // [K·C, 3, T, H, W]
        }
        else
        {
            x = b.AddInput(
                options.InputName,
                TensorProto.Types.DataType.Float,
                OnnxDimension.Symbolic("N"),
                OnnxDimension.Fixed(options.Channels),
                OnnxDimension.FixedOr(options.Frames, "T"),
                OnnxDimension.FixedOr(options.Height, "H"),
                OnnxDimension.FixedOr(options.Width, "W"));                                 // [N, 3, T, H, W]
        }

        if (options.InputScale != 1f)
        {
            x = b.Mul(x, b.FloatScalar("input.scale", options.InputScale));
        }

        if (options.InputOffset != 0f)
        {
            x = b.Add(x, b.FloatScalar("input.offset", options.InputOffset));
        }

        var features = encoder.Export(b, x);                                               // [N, D, T', H', W']
        if (options.GlobalAveragePool)
        {
            features = b.ReduceMean(features, [2, 3, 4], keepDims: false);                 // [N, D]
        }

        if (flat)
        {
            features = b.ReduceMean(features, [0], keepDims: true);                        // [1, D]: mean over the K·C clips
        }

        if (options.L2Normalize)
        {
            features = b.L2Normalize(features, axis: 1);                                   // [·, D], unit norm (zero stays zero)
        }

        var dim = options.EmbeddingDimension ?? b.ChannelsOf(features)
            ?? throw new InvalidOperationException(
                "The embedding width could not be inferred from the exported layers; set OnnxExportOptions.EmbeddingDimension.");
        if (options.OutputMean is { } mean && options.OutputScale is { } scale)
        {
            if (mean.Length != dim)
            {
                throw new ArgumentException($"OutputMean and OutputScale have {mean.Length} values; the embedding has {dim}.", nameof(options));
            }

            features = b.Sub(features, b.AddFloatInitializer("output.mean", mean, 1, dim));   // [·, D] − mean[1, D]
            features = b.Mul(features, b.AddFloatInitializer("output.scale", scale, 1, dim)); // · scale[1, D]
        }

        if (options.ClipWeightInputName is { } weightName)
        {
            var weight = b.AddInput(weightName, TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1));
            features = b.Mul(features, weight);                                            // [1, D] · [1]: 0 gives the zero vector
        }

        if (options.VectorOutput)
        {
            features = b.Reshape(features, [dim]);                                         // [D]
        }

        b.AddOutput(
            features,
            options.OutputName,
            TensorProto.Types.DataType.Float,
            options.VectorOutput ? new[] { OnnxDimension.Fixed(dim) } : new[] { flat ? OnnxDimension.Fixed(1) : OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(dim) });

        var model = b.Build(Describe(options, dim));
        AddMetadata(model, "constcl.input_layout", options.InputLayout.ToString());
        AddMetadata(model, "constcl.embedding_dimension", dim.ToString(CultureInfo.InvariantCulture));
        AddMetadata(model, "constcl.batchnorm_folded", options.FoldBatchNorm ? "true" : "false");
        AddMetadata(model, "constcl.l2_normalized", options.L2Normalize ? "true" : "false");
        return model;
    }

    /// <summary>Serialises <paramref name="model"/> to <paramref name="path"/> through a temporary file in the same folder.</summary>
    internal static void WriteAtomically(ModelProto model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        AtomicFile.Write(full, stream => model.WriteTo(stream), durable: true);
    }

    private static string Describe(OnnxExportOptions options, long dim) => options.InputLayout == OnnxInputLayout.FlatClips
        ? $"ConstCl video encoder. Inputs: '{options.InputName}' float [1, L] = K·C clips of one video, row-major [K·C, {options.Channels}, T, H, W]; " +
          $"'{options.ShapeInputName}' int64 [5] = that shape" +
          (options.ClipWeightInputName is null ? "" : $"; '{options.ClipWeightInputName}' float [1] = a factor of the output (0: the zero vector)") +
          $". Output: '{options.OutputName}' float {(options.VectorOutput ? $"[{dim}]" : $"[1, {dim}]")} = mean over clips of the pooled features" +
          (options.L2Normalize ? ", L2-normalised" : "") + (options.OutputMean is null ? "." : ", standardised per dimension.")
        : $"ConstCl video encoder. Input: '{options.InputName}' float [N, {options.Channels}, T, H, W]. Output: '{options.OutputName}' float [N, {dim}] = pooled features" +
          (options.L2Normalize ? ", L2-normalised." : ".");

    private static void AddMetadata(ModelProto model, string key, string value) =>
        model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}

using ConstCl.Embedding;
using ConstCl.Export;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>Builds the chain of ML.NET built-ins that a fitted embedding transformer saves as (architecture decision 4).</summary>
internal static class SavedChainBuilder
{
    /// <param name="ml">The context.</param>
    /// <param name="encoder">The frozen encoder (exported to ONNX here).</param>
    /// <param name="settings">The transformer's settings.</param>
    /// <param name="standardization">Put into the ONNX graph; null for none.</param>
    /// <param name="gpuDeviceId">ONNX Runtime's CUDA device, or null for the CPU.</param>
    /// <param name="specText">The constant clip-spec text; null: <see cref="SavedClipSpec.Format"/> of the settings (tests pass an older form).</param>
    public static ITransformer Build(MLContext ml, VideoEncoder encoder, TransformerSettings settings, EmbeddingStandardization? standardization, int? gpuDeviceId = null, string? specText = null)
    {
        var spec = specText ?? settings.Spec.Format();
        var onnx = encoder.ExportOnnx(new OnnxExportOptions
        {
            InputLayout = OnnxInputLayout.FlatClips,                      // [1, L] clips + [5] shape → mean over clips → L2 normalise
            InputName = SavedColumns.Clips,
            ShapeInputName = SavedColumns.Shape,
            ClipWeightInputName = SavedColumns.Weight,                   // 1 for a decoded video, 0 for a skipped one: the zero vector
            OutputMean = standardization?.Mean,                          // (e − mean) · scale, the numbers EmbeddingStandardization.Apply uses
            OutputScale = standardization?.Scale,
            OutputName = SavedColumns.Embedding,
            VectorOutput = true,                                         // [D]: ML.NET types it Vector<Single, D>, like the in-process column
        });
        var drop = new List<string> { SavedColumns.Spec, SavedColumns.Path, SavedColumns.Clips, SavedColumns.Shape, SavedColumns.Weight, SavedColumns.Embedding };
        if (!settings.Spec.SkipInvalid)
        {
            drop.Add(ConstClDefaults.ValidColumnName);
        }

        var pipeline = ml.Transforms.Expression(SavedColumns.Spec, $"x => \"{spec}\"", settings.VideoPathColumnName)   // constant text: the clip spec
            // An identity copy (no case, diacritic, punctuation or digit change) whose type check names the user's column
            // ("Schema mismatch for input column 'VideoPath' …") instead of the decoder's internal one.
            .Append(ml.Transforms.Text.NormalizeText(SavedColumns.Path, settings.VideoPathColumnName,
                Microsoft.ML.Transforms.Text.TextNormalizingEstimator.CaseMode.None, keepDiacritics: true, keepPunctuations: true, keepNumbers: true))
            .Append(ml.Transforms.CustomMapping(new VideoClipDecoderFactory().GetMapping(), SavedColumns.DecoderContract))
            // ML.NET takes the context's GpuDeviceId when the argument is null, and its own fallback does not catch a
            // CPU-only ONNX Runtime's missing CUDA entry point: a GPU-less step is built in a context that names no GPU.
            .Append((gpuDeviceId is null && ml.GpuDeviceId is not null ? new MLContext() : ml).Transforms.ApplyOnnxModel(
                [SavedColumns.Embedding],                                   // float [D]: Vector<Single, D> (standardised in the graph)
                [SavedColumns.Clips, SavedColumns.Shape, SavedColumns.Weight],
                new MemoryStream(onnx),                                       // the stream overload embeds the bytes in the zip
                gpuDeviceId: gpuDeviceId,                                     // ONNX Runtime's CUDA provider (MLContextDevice.OnnxGpuDeviceId)
                fallbackToCpu: ml.FallbackToCpu))
            .Append(ml.Transforms.CopyColumns(settings.OutputColumnName, SavedColumns.Embedding))
            .Append(ml.Transforms.DropColumns(drop.ToArray()));

        // The chain has nothing to learn; fitting on an empty view with the path column just instantiates it.
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<PathRow>(), SchemaDefinitionFor(settings.VideoPathColumnName));
        return pipeline.Fit(empty);
    }

    private static Microsoft.ML.Data.SchemaDefinition SchemaDefinitionFor(string column)
    {
        var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(PathRow));
        definition[0].ColumnName = column;
        return definition;
    }

    private sealed class PathRow
    {
        public string VideoPath { get; set; } = "";
    }
}

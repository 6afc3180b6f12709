using Microsoft.ML;

namespace ConstCl.MLNet;

/// <summary>
/// <c>Fit</c> runs ConST-CL self-supervised pre-training on the videos of the path column (labels are ignored), writes
/// the encoder to <c>CheckpointDirectory/encoder.constcl</c> and returns the embedding transformer of that encoder.
/// </summary>
public sealed class ConstClPretrainingEstimator : IEstimator<ConstClVideoEmbeddingTransformer>
{
    /// <summary>File name of the encoder written into the checkpoint directory.</summary>
    public const string EncoderFileName = ConstCl.Training.Pretrainer.EncoderFileName;

    private readonly MLContext _ml;
    private readonly ConstClPretrainingOptions _options;

    internal ConstClPretrainingEstimator(MLContext ml, ConstClPretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        options.ValidateSettings();
        options.EffectiveTraining().Validate();
        options.ClipSpec(options.EffectiveTraining().Model);
        _ml = ml;
        _options = options;
    }

    /// <summary>Pre-trains on the videos of the path column and returns the embedding transformer.</summary>
    /// <param name="input">Data with a text column of video paths.</param>
    public ConstClVideoEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.RequireText(input.Schema, _options.VideoPathColumnName);
        var column = input.Schema[_options.VideoPathColumnName];
        var paths = new List<string>();
        using (var cursor = input.GetRowCursor([column]))
        {
            var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
            var value = default(ReadOnlyMemory<char>);
            while (cursor.MoveNext())
            {
                getter(ref value);
                paths.Add(value.ToString());
            }
        }

        var training = _options.EffectiveTraining();
        var directory = _options.CheckpointDirectory ?? Path.Combine(Path.GetTempPath(), "constcl-mlnet", Guid.NewGuid().ToString("N"));
        var encoderPath = PretrainingRunner.Run(paths, training, directory, _options.Resume, _options.Progress, _options.CancellationToken);
        var encoder = VideoEncoderAdapter.Load(encoderPath, _options.Branch);
        return new ConstClVideoEmbeddingTransformer(_ml, encoder, _options.Snapshot(training.Model));
    }

    /// <summary>The input shape plus the embedding vector; throws for a missing or non-text path column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        SchemaChecks.OutputShape(inputSchema, _options, _options.EffectiveTraining().Model.Backbone.OutputChannels);
}

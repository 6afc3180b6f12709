using ConstCl.Modeling;
using Microsoft.ML;

namespace ConstCl.MLNet;

/// <summary>
/// Wraps a saved encoder: <c>Fit</c> learns nothing (it checks the schema and loads the encoder) and returns the
/// <see cref="ConstClVideoEmbeddingTransformer"/>. The encoder file is read and verified when the estimator is made.
/// </summary>
public sealed class ConstClEmbeddingEstimator : IEstimator<ConstClVideoEmbeddingTransformer>
{
    private readonly MLContext _ml;
    private readonly ConstClEmbeddingOptions _options;
    private readonly ConstClModelOptions _model;
    private readonly int _dimension;
    private VideoEncoderAdapter? _verified;

    internal ConstClEmbeddingEstimator(MLContext ml, ConstClEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateSettings();
        if (string.IsNullOrWhiteSpace(options.EncoderPath))
        {
            throw new ArgumentException("EncoderPath must name an encoder file (*.constcl).", nameof(options));
        }

        _ml = ml;
        _options = options;
        var encoder = VideoEncoderAdapter.Load(options.EncoderPath, options.Branch);
        _model = encoder.ModelOptions;
        _dimension = encoder.Dimension;
        try
        {
            options.ClipSpec(_model);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }

        _verified = encoder;   // handed to the first Fit: the file is read once in the common case
    }

    /// <summary>Checks the schema and loads the encoder.</summary>
    /// <param name="input">Data with the video-path column (only its schema is read).</param>
    public ConstClVideoEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.RequireText(input.Schema, _options.VideoPathColumnName);
        var encoder = Interlocked.Exchange(ref _verified, null) ?? VideoEncoderAdapter.Load(_options.EncoderPath, _options.Branch);
        return new ConstClVideoEmbeddingTransformer(_ml, encoder, _options.Snapshot(encoder.ModelOptions));
    }

    /// <summary>The input shape plus the embedding vector; throws for a missing or non-text path column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => SchemaChecks.OutputShape(inputSchema, _options, _dimension);
}

using ConstCl.Embedding;
using ConstCl.Runtime;
using ConstCl.Modeling;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace ConstCl.MLNet;

/// <summary>
/// Wraps a saved encoder: <c>Fit</c> checks the schema, loads the encoder and, with Standardize (the default), embeds
/// the videos of its data to learn each dimension's mean and standard deviation; it returns the
/// <see cref="ConstClVideoEmbeddingTransformer"/>. The encoder file is read and verified when the estimator is made.
/// </summary>
public sealed class ConstClEmbeddingEstimator : IEstimator<ConstClVideoEmbeddingTransformer>
{
    private readonly MLContext _ml;
    private readonly IHost _host;
    private readonly ConstClEmbeddingOptions _options;
    private readonly ConstClModelOptions _model;
    private readonly int _dimension;
    private VideoEncoder? _verified;

    // The device MLContext.GpuDeviceId / FallbackToCpu chose (the CPU by default).
    private readonly ComputeDevice _device;

    internal ConstClEmbeddingEstimator(MLContext ml, ConstClEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ValidateSettings();
        if (string.IsNullOrWhiteSpace(options.EncoderPath))
        {
            throw new ArgumentException("EncoderPath must name an encoder file (*.constcl).", nameof(options));
        }

        _ml = ml;
        _host = ((IHostEnvironment)ml).Register(nameof(ConstClEmbeddingEstimator));
        _options = options;
        _device = MLContextDevice.Resolve(ml, _host);
        var encoder = VideoEncoder.Load(options.EncoderPath, options.Branch, _device, options.Stage);
        _model = encoder.Options;
        _dimension = encoder.EmbeddingDimension;
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

    /// <summary>
    /// Checks the schema and loads the encoder; in strict mode (SkipInvalidVideos off) checks that every video of the
    /// column exists; with Standardize, embeds the videos of <paramref name="input"/> and fits the per-dimension
    /// standardisation on them. A video that cannot be read fails here with ConstCl's error naming it (strict mode) or
    /// is left out of the statistics with a warning through <c>MLContext.Log</c> (SkipInvalidVideos).
    /// </summary>
    /// <param name="input">Data with the video-path column (only its paths are read when Standardize is off).</param>
    /// <exception cref="InvalidOperationException">
    /// A video cannot be read in strict mode (the message names it), or Standardize is on and fewer than two videos decode.
    /// </exception>
    public ConstClVideoEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.RequireText(input.Schema, _options.VideoPathColumnName);
        var encoder = Interlocked.Exchange(ref _verified, null) ?? VideoEncoder.Load(_options.EncoderPath, _options.Branch, _device, _options.Stage);
        try
        {
            return VideoEmbeddingException.Surface(() => FitWith(encoder, input));
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    private ConstClVideoEmbeddingTransformer FitWith(VideoEncoder encoder, IDataView input)
    {
        var settings = _options.Snapshot(encoder.Options);
        var paths = _options.Standardize || !_options.SkipInvalidVideos ? VideoPaths.Read(input, _options.VideoPathColumnName) : [];
        if (!_options.SkipInvalidVideos)
        {
            VideoPaths.RequireExisting(paths, settings.Spec);
        }

        if (!_options.Standardize)
        {
            return new ConstClVideoEmbeddingTransformer(_ml, encoder, settings);
        }

        using var channel = _host.Start("Standardization");
        channel.Info(MessageSensitivity.None, $"Embedding {paths.Count} videos for the standardisation statistics.");
        var (standardization, raw) = StandardizationFitter.Fit(encoder, settings, paths, m => channel.Warning(MessageSensitivity.None, m));
        return new ConstClVideoEmbeddingTransformer(_ml, encoder, settings, standardization, raw);
    }

    /// <summary>The input shape plus the embedding vector; throws for a missing or non-text path column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => SchemaChecks.OutputShape(inputSchema, _options, _dimension);
}

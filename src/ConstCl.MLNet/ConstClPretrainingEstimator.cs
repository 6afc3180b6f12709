using ConstCl.Embedding;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace ConstCl.MLNet;

/// <summary>
/// <c>Fit</c> runs ConST-CL self-supervised pre-training on the videos of the path column (labels are ignored), writes
/// the encoder to <c>CheckpointDirectory/encoder.constcl</c>, fits the embedding standardisation on the same videos
/// (unless Standardize is off) and returns the embedding transformer of that encoder. Progress, the representation
/// diagnostics, health warnings and skipped videos are written to <c>MLContext.Log</c>.
/// </summary>
public sealed class ConstClPretrainingEstimator : IEstimator<ConstClVideoEmbeddingTransformer>
{
    /// <summary>File name of the encoder written into the checkpoint directory.</summary>
    public const string EncoderFileName = ConstCl.Training.Pretrainer.EncoderFileName;

    /// <summary>The folder under <c>MLContext.TempFilePath</c> that holds the temporary run folders.</summary>
    internal const string TemporaryFolderName = "constcl-mlnet";

    private readonly MLContext _ml;
    private readonly IHost _host;
    private readonly ConstClPretrainingOptions _options;
    private readonly long _contextSeed;

    internal ConstClPretrainingEstimator(MLContext ml, ConstClPretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        options.ValidateSettings();
        options.ValidateFrameCacheDirectory();

        // MLContext does not expose its seed; its public IHostEnvironment gives every registered component a generator
        // derived from it (what ML.NET's own trainers draw from), so one draw here makes the run follow the context's seed.
        _host = ((IHostEnvironment)ml).Register(nameof(ConstClPretrainingEstimator));
        _contextSeed = _host.Rand.Next();
        var training = options.EffectiveTraining(_contextSeed);
        training.Validate();
        options.ClipSpec(training.Model);
        _ml = ml;
        _options = options;
    }

    /// <summary>The run's options with the model and seed in effect (see <see cref="ConstClPretrainingOptions.Seed"/>).</summary>
    internal ConstCl.Training.PretrainingOptions Training => _options.EffectiveTraining(_contextSeed);

    /// <summary>
    /// Pre-trains on the videos of the path column and returns the embedding transformer. In strict mode
    /// (SkipInvalidVideos off) a missing video fails before training starts, and one that cannot be decoded fails at the
    /// standardisation pass after it (training itself replaces it, see the skip report); the message names the video.
    /// </summary>
    /// <param name="input">Data with a text column of video paths.</param>
    /// <exception cref="InvalidOperationException">A video cannot be read in strict mode (the message names it).</exception>
    public ConstClVideoEmbeddingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        SchemaChecks.RequireText(input.Schema, _options.VideoPathColumnName);
        return VideoEmbeddingException.Surface(() => FitCore(input));
    }

    private ConstClVideoEmbeddingTransformer FitCore(IDataView input)
    {
        var paths = VideoPaths.Read(input, _options.VideoPathColumnName);
        var device = MLContextDevice.Resolve(_ml, _host);
        var training = Training with { Device = device };
        var spec = _options.SavedSpec(training.Model);
        if (!_options.SkipInvalidVideos)
        {
            VideoPaths.RequireExisting(paths, spec);
        }

        var temporary = _options.CheckpointDirectory is null;
        var directory = _options.CheckpointDirectory
            ?? Path.Combine(_ml.TempFilePath ?? Path.GetTempPath(), TemporaryFolderName, Guid.NewGuid().ToString("N"));
        using var channel = _host.Start("Pretraining");
        var log = new PretrainingLog(channel, _options.Progress);
        try
        {
            var encoderPath = PretrainingRunner.Run(paths.Select(spec.Resolve).ToList(), training, directory, _options.Resume, _options.FrameCacheDirectory, log, _options.CancellationToken);
            var encoder = VideoEncoder.Load(encoderPath, _options.Branch, device, _options.Stage);
            try
            {
                var settings = _options.Snapshot(training.Model);
                if (!_options.Standardize)
                {
                    return new ConstClVideoEmbeddingTransformer(_ml, encoder, settings);
                }

                log.Info($"Embedding {paths.Count} videos for the standardisation statistics.");
                var (standardization, raw) = StandardizationFitter.Fit(encoder, settings, paths, log.Warning);
                return new ConstClVideoEmbeddingTransformer(_ml, encoder, settings, standardization, raw);
            }
            catch
            {
                encoder.Dispose();
                throw;
            }
        }
        finally
        {
            if (temporary)
            {
                DeleteTemporary(directory, log);
            }
        }
    }

    /// <summary>The input shape plus the embedding vector; throws for a missing or non-text path column.</summary>
    /// <param name="inputSchema">The input shape.</param>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        SchemaChecks.OutputShape(inputSchema, _options, Training.Model.Backbone.OutputChannels);

    /// <summary>
    /// Deletes a temporary run folder (the encoder is in memory by now). The shared parent folder stays: removing it
    /// could race with another Fit creating its run folder there.
    /// </summary>
    private static void DeleteTemporary(string directory, PretrainingLog log)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held open (e.g. by a virus scanner): not worth failing Fit over.
            log.Warning($"Could not delete the temporary run folder '{directory}': {ex.Message}");
        }
    }
}

using Microsoft.ML;

namespace ConstCl.MLNet;

/// <summary>
/// ConST-CL operations for ML.NET, reached with <c>mlContext.ConstCl()</c>. Each has a simple overload (output column
/// first, input optional) and an options overload, as ML.NET's featurizers do.
/// </summary>
public sealed class ConstClCatalog
{
    internal ConstClCatalog(MLContext context)
    {
        Context = context;
    }

    internal MLContext Context { get; }

    /// <summary>
    /// An estimator whose <c>Fit</c> runs ConST-CL self-supervised pre-training on the videos of the path column (other
    /// columns, labels included, are ignored) and returns the embedding transformer of the trained encoder. Uses the
    /// Paper model and training presets; use the options overload for Tiny or custom settings.
    /// </summary>
    /// <param name="outputColumnName">Name of the embedding column.</param>
    /// <param name="videoPathColumnName">Name of the text column of video paths.</param>
    public ConstClPretrainingEstimator PretrainVideoEncoder(
        string outputColumnName = ConstClDefaults.OutputColumnName,
        string videoPathColumnName = ConstClDefaults.VideoPathColumnName) =>
        PretrainVideoEncoder(new ConstClPretrainingOptions { OutputColumnName = outputColumnName, VideoPathColumnName = videoPathColumnName });

    /// <summary>An estimator whose <c>Fit</c> runs ConST-CL pre-training with <paramref name="options"/>.</summary>
    /// <param name="options">Model, training and embedding options.</param>
    public ConstClPretrainingEstimator PretrainVideoEncoder(ConstClPretrainingOptions options) => new(Context, options);

    /// <summary>An estimator with nothing to fit that embeds videos with the saved encoder <paramref name="encoderPath"/>.</summary>
    /// <param name="encoderPath">The encoder file (<c>*.constcl</c>).</param>
    /// <param name="outputColumnName">Name of the embedding column.</param>
    /// <param name="videoPathColumnName">Name of the text column of video paths.</param>
    public ConstClEmbeddingEstimator EmbedVideos(
        string encoderPath,
        string outputColumnName = ConstClDefaults.OutputColumnName,
        string videoPathColumnName = ConstClDefaults.VideoPathColumnName) =>
        EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = encoderPath, OutputColumnName = outputColumnName, VideoPathColumnName = videoPathColumnName });

    /// <summary>An estimator with nothing to fit that embeds videos as <paramref name="options"/> say.</summary>
    /// <param name="options">The encoder file and embedding options.</param>
    public ConstClEmbeddingEstimator EmbedVideos(ConstClEmbeddingOptions options) => new(Context, options);
}

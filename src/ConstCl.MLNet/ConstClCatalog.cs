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
    /// columns, labels included, are ignored) and returns the embedding transformer of the trained encoder (standardised
    /// on the same videos). Uses the Small preset (<see cref="ConstCl.Training.PretrainingOptions.Small"/>: 600 steps at
    /// batch 16, about 10 minutes on 2 CPU cores, progress and ETA in <c>MLContext.Log</c>) and a seed drawn from the
    /// context; use the options overload for the Paper preset (for accelerators) or custom settings.
    /// </summary>
    /// <param name="outputColumnName">Name of the embedding column, a <c>float</c> vector of the encoder's size D.</param>
    /// <param name="inputColumnName">Name of the text column of video paths.</param>
    /// <param name="videoFolder">Base folder of relative video paths (null: paths as given).</param>
    public ConstClPretrainingEstimator PretrainVideoEncoder(
        string outputColumnName = ConstClDefaults.OutputColumnName,
        string inputColumnName = ConstClDefaults.VideoPathColumnName,
        string? videoFolder = null) =>
        PretrainVideoEncoder(new ConstClPretrainingOptions { OutputColumnName = outputColumnName, VideoPathColumnName = inputColumnName, VideoFolder = videoFolder });

    /// <summary>An estimator whose <c>Fit</c> runs ConST-CL pre-training with <paramref name="options"/>.</summary>
    /// <param name="options">Model, training and embedding options.</param>
    public ConstClPretrainingEstimator PretrainVideoEncoder(ConstClPretrainingOptions options) => new(Context, options);

    /// <summary>
    /// An estimator that embeds videos with the saved encoder <paramref name="encoderPath"/>; its <c>Fit</c> only learns
    /// the per-dimension standardisation of the embeddings (see <see cref="ConstClEmbeddingSettings.Standardize"/>).
    /// </summary>
    /// <param name="outputColumnName">Name of the embedding column, a <c>float</c> vector of the encoder's size D.</param>
    /// <param name="encoderPath">The encoder file (<c>*.constcl</c>).</param>
    /// <param name="inputColumnName">Name of the text column of video paths.</param>
    /// <param name="videoFolder">Base folder of relative video paths (null: paths as given).</param>
    public ConstClEmbeddingEstimator EmbedVideos(
        string outputColumnName,
        string encoderPath,
        string inputColumnName = ConstClDefaults.VideoPathColumnName,
        string? videoFolder = null) =>
        EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = encoderPath, OutputColumnName = outputColumnName, VideoPathColumnName = inputColumnName, VideoFolder = videoFolder });

    /// <summary>An estimator that embeds videos as <paramref name="options"/> say (its <c>Fit</c> learns the standardisation, if on).</summary>
    /// <param name="options">The encoder file and embedding options.</param>
    public ConstClEmbeddingEstimator EmbedVideos(ConstClEmbeddingOptions options) => new(Context, options);
}

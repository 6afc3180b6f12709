using ConstCl.Modeling;
using ConstCl.Training;

namespace ConstCl.MLNet;

/// <summary>
/// Options of <see cref="ConstClCatalog.PretrainVideoEncoder(ConstClPretrainingOptions)"/>: what to pre-train and how,
/// plus (inherited) how the fitted transformer embeds videos.
/// </summary>
public sealed class ConstClPretrainingOptions : ConstClEmbeddingSettings
{
    /// <summary>The model: <see cref="ConstClModelOptions.Paper"/> (default) or <see cref="ConstClModelOptions.Tiny"/>, or custom.</summary>
    public ConstClModelOptions Model { get; set; } = ConstClModelOptions.Paper;

    /// <summary>The optimisation: <see cref="PretrainingOptions.Paper"/> (default) or <see cref="PretrainingOptions.Tiny"/>, or custom.</summary>
    public PretrainingOptions Training { get; set; } = PretrainingOptions.Paper;

    /// <summary>Seed of every random draw of the run; null uses <see cref="PretrainingOptions.Seed"/> of <see cref="Training"/>.</summary>
    public long? Seed { get; set; }

    /// <summary>Receives a report every <see cref="PretrainingOptions.LogEvery"/> steps and at the end.</summary>
    public IProgress<PretrainingProgress>? Progress { get; set; }

    /// <summary>Stops pre-training between steps (Fit then throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Folder that receives the trained encoder (<c>encoder.constcl</c>); null writes it under the system temporary folder.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    internal PretrainingOptions EffectiveTraining() => Seed is { } seed ? Training with { Seed = seed } : Training;
}

using ConstCl.Modeling;
using ConstCl.Training;

namespace ConstCl.MLNet;

/// <summary>
/// Options of <see cref="ConstClCatalog.PretrainVideoEncoder(ConstClPretrainingOptions)"/>: what to pre-train and how,
/// plus (inherited) how the fitted transformer embeds videos.
/// </summary>
public sealed class ConstClPretrainingOptions : ConstClEmbeddingSettings
{
    /// <summary>
    /// The model: <see cref="ConstClModelOptions.Paper"/>, <see cref="ConstClModelOptions.Tiny"/> or custom; null (default)
    /// uses <see cref="PretrainingOptions.Model"/> of <see cref="Training"/>.
    /// </summary>
    public ConstClModelOptions? Model { get; set; }

    /// <summary>
    /// The run: <see cref="PretrainingOptions.Paper"/> (default) or <see cref="PretrainingOptions.Tiny"/> (each with its model
    /// preset), or custom: steps, batch size, optimiser, schedule, objective, threads, checkpoint cadence.
    /// </summary>
    public PretrainingOptions Training { get; set; } = PretrainingOptions.Paper;

    /// <summary>Seed of every random draw of the run; null uses <see cref="PretrainingOptions.Seed"/> of <see cref="Training"/>.</summary>
    public long? Seed { get; set; }

    /// <summary>Receives a report every <see cref="PretrainingOptions.LogEvery"/> steps and at the end.</summary>
    public IProgress<PretrainingProgress>? Progress { get; set; }

    /// <summary>Stops pre-training between steps (Fit then throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Folder of the run: the trained encoder (<c>encoder.constcl</c>), checkpoints, metrics and TensorBoard events; null
    /// uses a new folder under the system temporary folder.
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// Continue the run whose checkpoints are in <see cref="CheckpointDirectory"/> (from its latest valid checkpoint)
    /// instead of starting one. False (default) refuses a folder that already holds checkpoints.
    /// </summary>
    public bool Resume { get; set; }

    internal PretrainingOptions EffectiveTraining() => Training with { Seed = Seed ?? Training.Seed, Model = Model ?? Training.Model };
}

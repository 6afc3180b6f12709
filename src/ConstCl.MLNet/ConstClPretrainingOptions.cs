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
    /// The model: <see cref="ConstClModelOptions.Small"/>, <see cref="ConstClModelOptions.TinyPreset"/>, <see cref="ConstClModelOptions.Tiny"/> (the official layout), <see cref="ConstClModelOptions.Paper"/> or custom; null (default)
    /// uses <see cref="PretrainingOptions.Model"/> of <see cref="Training"/>.
    /// </summary>
    public ConstClModelOptions? Model { get; set; }

    /// <summary>
    /// The run: <see cref="PretrainingOptions.Small"/> (default: the preset that learns on a CPU in minutes),
    /// <see cref="PretrainingOptions.Tiny"/>, <see cref="PretrainingOptions.TinyOfficial"/>, <see cref="PretrainingOptions.Paper"/> (the official 200 000 steps at batch
    /// 1 024, for accelerator clusters; each preset with its model), <see cref="PretrainingOptions.ForPreset"/>, or custom:
    /// steps, batch size, optimiser, schedule, objective, augmentation, view gap, threads, checkpoint cadence.
    /// </summary>
    public PretrainingOptions Training { get; set; } = PretrainingOptions.Small;

    /// <summary>
    /// Seed of every random draw of the run. Null (default): <see cref="PretrainingOptions.Seed"/> of <see cref="Training"/>
    /// when it is not the default (1), otherwise a seed drawn from the <c>MLContext</c> when the estimator is made (so
    /// <c>new MLContext(seed: n)</c> makes runs repeatable, and a context without a seed gives a different run each time).
    /// </summary>
    public long? Seed { get; set; }

    /// <summary>
    /// Receives a report every <see cref="PretrainingOptions.LogEvery"/> steps and at the end (the same reports are
    /// written as lines to <c>MLContext.Log</c>).
    /// </summary>
    public IProgress<PretrainingProgress>? Progress { get; set; }

    /// <summary>Stops pre-training between steps (Fit then throws <see cref="OperationCanceledException"/>).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Folder of the run: the trained encoder (<c>encoder.constcl</c>), checkpoints, metrics, TensorBoard events and the
    /// skip report; null uses a new folder under <c>MLContext.TempFilePath</c> that <c>Fit</c> deletes once the encoder is
    /// loaded (or when it fails).
    /// </summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// Continue the run whose checkpoints are in <see cref="CheckpointDirectory"/> (from its latest valid checkpoint)
    /// instead of starting one. False (default) refuses a folder that already holds checkpoints.
    /// </summary>
    public bool Resume { get; set; }

    /// <summary>
    /// Folder of the decoded-frame cache (<see cref="Data.LoaderOptions.CacheDirectory"/>, created if missing): each video is
    /// decoded once, at its first use, into one file there, and later epochs read its frames without decoding, giving the
    /// same batches in less time (on 2 cores 44 % less for <see cref="PretrainingOptions.Tiny"/> on README's synthetic
    /// set). It costs frames × height × width × 3 bytes per video at the decode size. Null (default): every clip is decoded.
    /// </summary>
    public string? FrameCacheDirectory { get; set; }

    /// <summary>
    /// Refuses a <see cref="FrameCacheDirectory"/> that is blank or names an existing file, naming the option (the cache
    /// itself would fail only at <c>Fit</c>, with an I/O error that does not say which setting is wrong).
    /// </summary>
    /// <exception cref="ArgumentException">The folder is blank or is a file.</exception>
    internal void ValidateFrameCacheDirectory()
    {
        if (FrameCacheDirectory is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(FrameCacheDirectory))
        {
            throw new ArgumentException("FrameCacheDirectory must name a folder, or be null for no cache.", nameof(FrameCacheDirectory));
        }

        if (File.Exists(FrameCacheDirectory))
        {
            throw new ArgumentException(
                $"FrameCacheDirectory '{Path.GetFullPath(FrameCacheDirectory)}' is a file; give a folder (it is created if missing).",
                nameof(FrameCacheDirectory));
        }
    }

    /// <summary>The default <see cref="PretrainingOptions.Seed"/>: a training seed equal to it defers to the context's seed.</summary>
    internal static long DefaultTrainingSeed { get; } = new PretrainingOptions().Seed;

    /// <summary>
    /// <see cref="Training"/> with <see cref="Model"/> and the seed applied: <see cref="Seed"/>, else a non-default
    /// <see cref="PretrainingOptions.Seed"/>, else <paramref name="contextSeed"/>.
    /// </summary>
    internal PretrainingOptions EffectiveTraining(long contextSeed) => Training with
    {
        Seed = Seed ?? (Training.Seed != DefaultTrainingSeed ? Training.Seed : contextSeed),
        Model = Model ?? Training.Model,
    };
}

using ConstCl.Data;
using ConstCl.Training;
using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>Runs Core's <see cref="Pretrainer"/> on a list of video paths (the one place the ML.NET estimator touches training).</summary>
internal static class PretrainingRunner
{
    /// <summary>The data loader's skip report, written into the run folder (the CLI's name).</summary>
    public const string SkipReportFileName = "skip-report.jsonl";

    /// <summary>
    /// Pre-trains on <paramref name="videos"/> with the real loader built from the run's options
    /// (<see cref="PretrainingOptions.ToLoaderOptions"/>: clip shape, batch, seed, view gap, augmentation; CVRL sampling,
    /// region boxes), writes <c>encoder.constcl</c>, checkpoints, metrics and the skip report under
    /// <paramref name="outputDirectory"/> (decoding each video once into <paramref name="frameCacheDirectory"/> when it is not
    /// null), reports to <paramref name="log"/> and returns the encoder file. Throws
    /// <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static string Run(
        IReadOnlyList<string> videos,
        PretrainingOptions training,
        string outputDirectory,
        bool resume,
        string? frameCacheDirectory,
        PretrainingLog log,
        CancellationToken cancellationToken)
    {
        if (videos.Count == 0)
        {
            throw new ArgumentException("Pre-training needs at least one video path; the column has no rows.", nameof(videos));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var loader = LoaderOptionsFor(training, outputDirectory, frameCacheDirectory);
        log.Info($"Pre-training on {videos.Count} videos: {training.Steps} steps at batch {training.BatchSize}, " +
                 $"{training.Model.InputFrames}×{training.Model.InputSize}² clips, seed {training.Seed}, run folder '{outputDirectory}'.");
        using var source = new PrefetchingBatchSource(new FileFrameProvider(videos, loader.DecodeOptions, loader.CacheDirectory), loader);
        var result = new Pretrainer(training) { Resume = resume, Log = log.Event }.Run(source, outputDirectory, log, cancellationToken);
        if (result.Cancelled)
        {
            throw new OperationCanceledException($"Pre-training was cancelled at step {result.Step} of {result.TotalSteps}.", cancellationToken);
        }

        log.Finished(result, source.SkipReport.Records);
        return result.EncoderPath
            ?? throw new InvalidOperationException($"Pre-training finished without writing an encoder file under '{outputDirectory}'.");
    }

    /// <summary>
    /// The loader settings the run defines (<see cref="PretrainingOptions.ToLoaderOptions"/>: clip shape, batch, seed,
    /// <see cref="PretrainingOptions.MinimumViewGap"/>, <see cref="PretrainingOptions.Augmentation"/>), decoding on up to
    /// 4 threads, with the skip report in the run folder and the decoded-frame cache in <paramref name="frameCacheDirectory"/>
    /// (null: none).
    /// </summary>
    internal static LoaderOptions LoaderOptionsFor(PretrainingOptions training, string outputDirectory, string? frameCacheDirectory = null) =>
        (training.ToLoaderOptions() with
        {
            CacheDirectory = frameCacheDirectory is null ? null : Path.GetFullPath(frameCacheDirectory),
            DecodeThreads = Math.Max(1, Math.Min(4, Environment.ProcessorCount)),
            SkipReportPath = Path.Combine(Path.GetFullPath(outputDirectory), SkipReportFileName),
        }).Validate();
}

using ConstCl.Data;
using ConstCl.Modeling;
using ConstCl.Training;
using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>Runs Core's <see cref="Pretrainer"/> on a list of video paths (the one place the ML.NET estimator touches training).</summary>
internal static class PretrainingRunner
{
    /// <summary>
    /// Pre-trains on <paramref name="videos"/> with the real loader (CVRL sampling, two-view augmentation, region boxes),
    /// writes <c>encoder.constcl</c>, checkpoints and metrics under <paramref name="outputDirectory"/> and returns the
    /// encoder file. Throws <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public static string Run(
        IReadOnlyList<string> videos,
        PretrainingOptions training,
        string outputDirectory,
        bool resume,
        IProgress<PretrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (videos.Count == 0)
        {
            throw new ArgumentException("Pre-training needs at least one video path; the column has no rows.", nameof(videos));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ConstClModelOptions model = training.Model;
        var loader = new LoaderOptions
        {
            Frames = model.InputFrames,
            Size = model.InputSize,
            BatchSize = training.BatchSize,
            Seed = unchecked((int)training.Seed),
            DecodeThreads = Math.Max(1, Math.Min(4, Environment.ProcessorCount)),
        };
        using var source = new PrefetchingBatchSource(new FileFrameProvider(videos, loader.DecodeOptions), loader);
        var result = new Pretrainer(training) { Resume = resume }.Run(source, outputDirectory, progress, cancellationToken);
        if (result.Cancelled)
        {
            throw new OperationCanceledException($"Pre-training was cancelled at step {result.Step} of {result.TotalSteps}.", cancellationToken);
        }

        return result.EncoderPath
            ?? throw new InvalidOperationException($"Pre-training finished without writing an encoder file under '{outputDirectory}'.");
    }
}

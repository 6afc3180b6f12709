using System.Diagnostics;
using System.Globalization;
using ConstCl.Augmentation;
using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet.Evaluation;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;

namespace QuickStart;

/// <summary>
/// The quick start end to end: render the synthetic action dataset in memory, pre-train a Tiny ConST-CL encoder and a
/// Tiny CVRL encoder (same data, steps and seed; local weight ω vs 0) on the train split, embed every video with each
/// encoder and with a randomly initialised one, fit the ML.NET linear probe (<see cref="LinearProbe"/>, as
/// <c>constcl probe</c>) on the train embeddings and score the test split. Deterministic under <see cref="QuickStartSettings.Seed"/> (fixed thread counts).
/// </summary>
internal static class QuickStartPipeline
{
    /// <summary>Runs the quick start and returns its table; progress lines go to <paramref name="log"/>.</summary>
    public static QuickStartResult Run(QuickStartSettings settings, TextWriter log, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var clock = Stopwatch.StartNew();
        TorchRuntime.Initialize(settings.Threads);

        var dataset = new SyntheticActions(new SyntheticActionsOptions
        {
            Classes = settings.Classes,
            VideosPerClass = settings.VideosPerClass,
            Frames = settings.VideoFrames,
            Size = settings.Size,
            Seed = settings.Seed,
            BackgroundDrift = settings.BackgroundDrift,
        });
        log.WriteLine($"Rendering {settings.Classes} classes × {settings.VideosPerClass} synthetic videos ({settings.VideoFrames} frames, {settings.Size}²) …");
        var train = dataset.Generate(DatasetSubset.Train).ToList();
        var test = dataset.Generate(DatasetSubset.Test).ToList();
        log.WriteLine($"  {train.Count} train, {test.Count} test videos; classes: {string.Join(", ", dataset.ClassNames)}");

        var model = ConstClModelOptions.Tiny with { Backbone = ConstClModelOptions.Tiny.Backbone with { InputMode = settings.InputMode } };
        var workDirectory = Directory.CreateTempSubdirectory("constcl-quickstart-");
        try
        {
            double? constcl = null, cvrl = null, random = null;
            if (settings.Variants.Contains("constcl"))
            {
                using var encoder = Pretrain("ConST-CL", settings.LocalWeight);
                constcl = Probe("ConST-CL", encoder);
            }

            if (settings.Variants.Contains("cvrl"))
            {
                using var encoder = Pretrain("CVRL", 0);
                cvrl = Probe("CVRL", encoder);
            }

            if (settings.Variants.Contains("random"))
            {
                using var network = ConstClModel.Create(model, settings.Seed);
                using var encoder = VideoEncoder.FromModel(network);
                random = Probe("random weights", encoder);
            }

            return new QuickStartResult(constcl, cvrl, random, 1.0 / settings.Classes, settings.Classes, train.Count, test.Count, clock.Elapsed.TotalSeconds);
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }

        VideoEncoder Pretrain(string name, double localWeight)
        {
            var options = PretrainingOptions.Tiny with
            {
                Steps = settings.Steps,
                BatchSize = settings.BatchSize,
                WarmupSteps = Math.Max(1, settings.Steps / 20),
                BaseLearningRate = settings.LearningRate,
                LearningRateScaling = LearningRateScaling.None,
                CheckpointEvery = settings.Steps,
                KeepCheckpoints = 1,
                LogEvery = 10,
                Threads = settings.Threads,
                Seed = settings.Seed,
                Model = model,
                Objective = PretrainingOptions.Tiny.Objective with { LocalWeight = localWeight },
            };
            var loader = new LoaderOptions
            {
                Frames = model.InputFrames,
                Size = model.InputSize,
                BatchSize = settings.BatchSize,
                DecodeThreads = 1,
                Seed = settings.Seed,
                MinimumViewGap = settings.MinimumViewGap,
                Augmentation = settings.Augmentation with { FlipMode = settings.FlipMode },
            };
            log.WriteLine($"Pre-training {name} (Tiny, {settings.Steps} steps × {settings.BatchSize} videos, ω = {localWeight.ToString(CultureInfo.InvariantCulture)}, input {settings.InputMode}) …");
            using var source = PrefetchingBatchSource.FromSynthetic(dataset, loader, DatasetSubset.Train);
            var outputDirectory = Path.Combine(workDirectory.FullName, name);
            var result = new Pretrainer(options).Run(source, outputDirectory, new ProgressLines(log, name, settings.Steps), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return VideoEncoder.Load(result.EncoderPath ?? throw new InvalidOperationException($"{name} pre-training wrote no encoder."));
        }

        double Probe(string name, VideoEncoder encoder)
        {
            var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = EvaluationClipSpec.ForModel(model, settings.EvaluationClips, cropCount: 1) });
            var watch = Stopwatch.StartNew();
            var trainRows = Embed(train);
            var testRows = Embed(test);
            // ML.NET LbfgsMaximumEntropy on standardised embeddings: the probe `constcl probe` runs.
            var probe = new LinearProbe(new LinearProbeOptions { Seed = settings.Seed, NumberOfThreads = 1 });
            double accuracy = probe.Evaluate(trainRows, testRows, dataset.ClassNames).Top1;
            log.WriteLine($"  {name}: embedded {train.Count + test.Count} videos and fitted the probe in {watch.Elapsed.TotalSeconds:0} s; top-1 {100 * accuracy:0.0} %");
            return accuracy;

            List<LabeledEmbedding> Embed(List<SyntheticVideo> videos)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return videos.Select(v => new LabeledEmbedding(v.ClassIndex, embedder.Embed(v.Frames))).ToList();
            }
        }
    }

    /// <summary>Synchronous progress lines (IProgress from <see cref="Progress{T}"/> would post out of order).</summary>
    private sealed class ProgressLines(TextWriter log, string name, int totalSteps) : IProgress<PretrainingProgress>
    {
        private readonly int _every = Math.Max(10, totalSteps / 10 / 10 * 10);

        public void Report(PretrainingProgress value)
        {
            if (value.Step % _every != 0 && value.Step != totalSteps)
            {
                return;
            }

            var eta = value.Eta is { } e ? $", {e:m\\:ss} left" : "";
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name} step {value.Step,5}/{totalSteps}: global {value.GlobalLoss:0.000}, local {value.LocalLoss:0.000}, {value.ClipsPerSecond:0} clips/s, data wait {100 * value.DataWaitShare:0} %{eta}"));
        }
    }
}

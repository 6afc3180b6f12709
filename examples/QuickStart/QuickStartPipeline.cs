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
/// The quick start end to end: render the synthetic action dataset in memory, pre-train a ConST-CL encoder and a CVRL
/// encoder of the chosen preset (same data, steps and seed; local weight ω vs 0) on the train split, embed every video
/// with each encoder and with a randomly initialised one, fit the ML.NET linear probe (<see cref="LinearProbe"/>, as
/// <c>constcl probe</c>) on the train embeddings and score the test split, for the motion classes and for the objects'
/// outlines (appearance). Deterministic under <see cref="QuickStartSettings.Seed"/> (fixed thread counts).
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

        var training = settings.Training();
        var model = training.Model;
        var shapeNames = Enum.GetValues<SyntheticShape>().Select(SyntheticActions.ShapeName).ToArray();
        var workDirectory = Directory.CreateTempSubdirectory("constcl-quickstart-");
        try
        {
            ProbeScores? constcl = null, cvrl = null, random = null;
            if (settings.Variants.Contains("constcl"))
            {
                using var encoder = Pretrain("ConST-CL", training.Objective.LocalWeight);
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

            return new QuickStartResult(
                constcl?.Motion, cvrl?.Motion, random?.Motion, 1.0 / settings.Classes, settings.Classes, train.Count, test.Count, clock.Elapsed.TotalSeconds)
            {
                ConstClAppearance = constcl?.Appearance,
                CvrlAppearance = cvrl?.Appearance,
                RandomInitAppearance = random?.Appearance,
                AppearanceChance = 1.0 / shapeNames.Length,
                Preset = settings.Preset,
                Steps = training.Steps,
                BatchSize = training.BatchSize,
            };
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }

        VideoEncoder Pretrain(string name, double localWeight)
        {
            var options = training with { Objective = training.Objective with { LocalWeight = localWeight } };
            var loader = options.ToLoaderOptions() with { DecodeThreads = 1 };
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Pre-training {name} ({settings.Preset}, {options.Steps} steps × {options.BatchSize} videos, {options.Optimizer} peak lr {options.PeakLearningRate:g3}, ω = {localWeight}, input {model.Backbone.InputMode}) …"));
            using var source = PrefetchingBatchSource.FromSynthetic(dataset, loader, DatasetSubset.Train);
            var outputDirectory = Path.Combine(workDirectory.FullName, name);
            var trainer = new Pretrainer(options) { Log = line => { if (line.StartsWith("Warning", StringComparison.Ordinal)) { log.WriteLine($"  {name}: {line}"); } } };
            var result = trainer.Run(source, outputDirectory, new ProgressLines(log, name, options.Steps), cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return VideoEncoder.Load(result.EncoderPath ?? throw new InvalidOperationException($"{name} pre-training wrote no encoder."));
        }

        ProbeScores Probe(string name, VideoEncoder encoder)
        {
            var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = EvaluationClipSpec.ForModel(model, settings.EvaluationClips, cropCount: 1) });
            var watch = Stopwatch.StartNew();
            var trainRows = Embed(train);
            var testRows = Embed(test);
            // ML.NET LbfgsMaximumEntropy on standardised embeddings: the probe `constcl probe` runs. The same embeddings are
            // probed twice: for the motion classes, and for the object's outline (an appearance-defined task).
            var probe = new LinearProbe(new LinearProbeOptions { Seed = settings.Seed, NumberOfThreads = 1 });
            double motion = probe.Evaluate(Labelled(trainRows, v => v.ClassIndex), Labelled(testRows, v => v.ClassIndex), dataset.ClassNames).Top1;
            double appearance = probe.Evaluate(Labelled(trainRows, v => (int)v.Shape), Labelled(testRows, v => (int)v.Shape), shapeNames).Top1;
            log.WriteLine($"  {name}: embedded {train.Count + test.Count} videos and fitted the probes in {watch.Elapsed.TotalSeconds:0} s; top-1 motion {100 * motion:0.0} %, appearance {100 * appearance:0.0} %");
            return new ProbeScores(motion, appearance);

            List<(SyntheticVideo Video, float[] Embedding)> Embed(List<SyntheticVideo> videos)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return videos.Select(v => (v, embedder.Embed(v.Frames))).ToList();
            }

            static List<LabeledEmbedding> Labelled(List<(SyntheticVideo Video, float[] Embedding)> rows, Func<SyntheticVideo, int> label) =>
                rows.Select(r => new LabeledEmbedding(label(r.Video), r.Embedding)).ToList();
        }
    }

    private sealed record ProbeScores(double Motion, double Appearance);

    /// <summary>Synchronous progress lines (IProgress from <see cref="Progress{T}"/> would post out of order), with the health diagnostics.</summary>
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
                $"  {name} step {value.Step,5}/{totalSteps}: global {value.GlobalLoss:0.000} ({value.Diagnostics?.GlobalLossToChance:0.00} of chance), local {value.LocalLoss:0.000}, {value.ClipsPerSecond:0} clips/s, data wait {100 * value.DataWaitShare:0} %{eta}"));
        }
    }
}

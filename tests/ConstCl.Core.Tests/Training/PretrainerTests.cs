using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Training;
using TorchSharp;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// The pre-training loop end to end on a small ConST-CL model (Tiny widths, 4×32² clips, batch 2) fed by
/// <see cref="FakeBatchSource"/>: exact resume, options refusal, non-finite handling, leaks, output files.
/// </summary>
public class PretrainerTests
{
    /// <summary>Tiny topology at 4 frames of 32² (res5 2×1×1): about 0.1 s per step here.</summary>
    internal static readonly ConstClModelOptions SmallModel = ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 };

    internal static PretrainingOptions Options(int steps) => PretrainingOptions.TinyOfficial with
    {
        Model = SmallModel,
        Steps = steps,
        BatchSize = 2,
        WarmupSteps = 2,
        BaseLearningRate = 0.5,
        ReferenceBatchSize = 2,
        WeightDecay = 1e-3,
        CheckpointEvery = 3,
        LogEvery = 1,
        Threads = 2,
        Seed = 11,
    };

    private static Dictionary<string, byte[]> CheckpointWeights(string path)
    {
        using var checkpoint = Checkpoint.Read(path);
        return TrainingTestModels.Bytes(checkpoint.ModelState);
    }

    private static PretrainingResult Run(PretrainingOptions options, string dir, bool resume = false, CancellationTokenSource? cts = null, long? cancelAtBatch = null)
    {
        using var source = new FakeBatchSource(options.Model, options.BatchSize, seed: 3)
        {
            BeforeNext = i =>
            {
                if (i == cancelAtBatch)
                {
                    cts!.Cancel();
                }
            },
        };
        return new Pretrainer(options) { Resume = resume }.Run(source, dir, cancellationToken: cts?.Token ?? default);
    }

    [Fact]
    public void KilledAndResumedRunEndsBitwiseEqualToTheUninterruptedRun()
    {
        var options = Options(6);
        var full = Run(options, TrainingTestModels.TempDirectory());
        Assert.False(full.Cancelled);
        Assert.Equal(6, full.Step);
        var expected = CheckpointWeights(full.CheckpointPath!);

        // Cancelled at a step in 1..5 chosen by a fixed seed, then resumed in a fresh trainer and model.
        var cancelAt = new Random(2024).Next(1, 6);
        var dir = TrainingTestModels.TempDirectory();
        using (var cts = new CancellationTokenSource())
        {
            var stopped = Run(options, dir, cts: cts, cancelAtBatch: cancelAt);
            Assert.True(stopped.Cancelled);
            Assert.Equal(cancelAt, stopped.Step);
            Assert.Null(stopped.EncoderPath);
            Assert.EndsWith($"step-{cancelAt:D9}.ckpt", stopped.CheckpointPath);
        }

        var resumed = Run(options, dir, resume: true);
        Assert.Equal(cancelAt, resumed.ResumedFromStep);
        Assert.Equal(6, resumed.Step);
        TrainingTestModels.AssertBitwiseEqual(expected, CheckpointWeights(resumed.CheckpointPath!));

        // The weights moved (the comparison is not vacuous).
        using var untrained = ConstClModel.Create(SmallModel, options.Seed);
        Assert.False(TrainingTestModels.Bytes(untrained)["backbone.stem.conv.weight"].AsSpan()
            .SequenceEqual(expected["backbone.stem.conv.weight"]));
    }

    [Fact]
    public void TruncatedNewestCheckpointFallsBackToThePreviousAndStillEndsEqual()
    {
        var options = Options(6);
        var expected = CheckpointWeights(Run(options, TrainingTestModels.TempDirectory()).CheckpointPath!);

        var dir = TrainingTestModels.TempDirectory();
        using (var cts = new CancellationTokenSource())
        {
            Run(options, dir, cts: cts, cancelAtBatch: 5); // checkpoints at 3 and 5
        }

        var newest = Path.Combine(dir, Pretrainer.CheckpointDirectoryName, "step-000000005.ckpt");
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length / 2)]);

        var resumed = Run(options, dir, resume: true);
        Assert.Equal(3, resumed.ResumedFromStep);
        var problem = Assert.Single(resumed.SkippedCheckpoints);
        Assert.Equal(newest, problem.Path);
        TrainingTestModels.AssertBitwiseEqual(expected, CheckpointWeights(resumed.CheckpointPath!));

        // Metrics hold each step once, in order, after the resume (LogEvery = 1).
        var steps = File.ReadAllLines(resumed.MetricsPath)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(1, 6), steps);
    }

    [Fact]
    public void ResumingWithDifferentOptionsIsRefusedWithTheDifferencesUnlessOverridden()
    {
        var options = Options(2);
        var dir = TrainingTestModels.TempDirectory();
        Run(options, dir);

        // Without Resume an existing run is never overwritten.
        var exists = Assert.Throws<InvalidOperationException>(() => Run(options, dir));
        Assert.Contains("--resume", exists.Message);

        var changed = options with
        {
            Steps = 3,
            BaseLearningRate = 0.25,
            Objective = options.Objective with { LocalWeight = 0.01 },
            Threads = 1, // operational: may differ
        };
        var refused = Assert.Throws<OptionsMismatchException>(() => Run(changed, dir, resume: true));
        Assert.Equal(["Steps", "BaseLearningRate", "Objective.LocalWeight"], refused.Differences.Select(d => d.Path));
        Assert.Contains("BaseLearningRate", refused.Message);
        Assert.Contains("Objective.LocalWeight", refused.Message);

        using var source = new FakeBatchSource(SmallModel, 2, seed: 3);
        var allowed = new Pretrainer(changed with { Threads = 2 }) { Resume = true, AllowDifferentOptions = true }.Run(source, dir);
        Assert.Equal(2, allowed.ResumedFromStep);
        Assert.Equal(3, allowed.Step);
        Assert.Equal(3, allowed.OptionsDifferences.Count);
        Assert.Equal([2L], source.Served); // continued with the batch after the checkpoint
    }

    [Fact]
    public void NonFiniteStepsAreSkippedAndCountedAndTooManyStopWithACheckpointOfTheLastGoodState()
    {
        var options = Options(10) with { MaxConsecutiveNonFiniteSteps = 2, CheckpointEvery = 100 };

        // One NaN batch: skipped, counted, the run finishes with finite weights.
        using (var source = new FakeBatchSource(SmallModel, 2, seed: 3) { NonFinite = i => i == 2 })
        {
            var result = new Pretrainer(options with { Steps = 4 }).Run(source, TrainingTestModels.TempDirectory());
            Assert.Equal(1, result.SkippedSteps);
            Assert.Equal(4, result.Step);
            Assert.Equal(1, result.LastProgress!.SkippedSteps);
            using var checkpoint = Checkpoint.Read(result.CheckpointPath!);
            Assert.All(checkpoint.ModelState.Values, t => Assert.True(torch.isfinite(t).all().item<bool>()));
        }

        // The state after 3 good steps, taken from a run cancelled at step 3.
        var goodDir = TrainingTestModels.TempDirectory();
        using (var cts = new CancellationTokenSource())
        {
            Run(options, goodDir, cts: cts, cancelAtBatch: 3);
        }

        var lastGood = CheckpointWeights(Path.Combine(goodDir, Pretrainer.CheckpointDirectoryName, "step-000000003.ckpt"));

        // Batches 3, 4, … are NaN: steps 3 and 4 are skipped, the second in a row stops the run.
        using (var source = new FakeBatchSource(SmallModel, 2, seed: 3) { NonFinite = i => i >= 3 })
        {
            var dir = TrainingTestModels.TempDirectory();
            var diverged = Assert.Throws<TrainingDivergedException>(() => new Pretrainer(options).Run(source, dir));
            Assert.Equal(4, diverged.Step);
            Assert.Equal(2, diverged.LastGoodStep);
            Assert.Equal(2, diverged.Consecutive);
            Assert.NotNull(diverged.CheckpointPath);
            TrainingTestModels.AssertBitwiseEqual(lastGood, CheckpointWeights(diverged.CheckpointPath!));
        }
    }

    [Fact]
    public void LiveTensorCountStaysFlatOver50Steps()
    {
        var counts = new List<long>();
        var options = Options(50) with { CheckpointEvery = 1000, LogEvery = 10 };
        using var source = new FakeBatchSource(SmallModel, 2, seed: 3)
        {
            // Called at the start of each step, inside its dispose scope, before the step makes any tensor.
            BeforeNext = _ => counts.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount),
        };
        new Pretrainer(options).Run(source, TrainingTestModels.TempDirectory());
        Assert.Equal(50, counts.Count);
        // The first step allocates gradients and momentum buffers; from then on nothing may accumulate.
        Assert.All(counts.Skip(2), c => Assert.Equal(counts[2], c));
    }

    [Fact]
    public void RunWritesOptionsMetricsTensorBoardAndALoadableEncoder()
    {
        var options = Options(3);
        var dir = TrainingTestModels.TempDirectory();
        var reports = new List<PretrainingProgress>();
        using var source = new FakeBatchSource(SmallModel, 2, seed: 3);
        var result = new Pretrainer(options).Run(source, dir, new SyncProgress(reports.Add));

        Assert.Equal([1, 2, 3], reports.Select(r => r.Step));
        Assert.All(reports, r =>
        {
            Assert.Equal(3, r.TotalSteps);
            Assert.True(r.GlobalLoss > 0 && double.IsFinite(r.GlobalLoss));
            Assert.True(r.LocalLoss > 0 && double.IsFinite(r.LocalLoss));
            // total = global + ω·local + L2 term (float32 sums)
            Assert.Equal(r.GlobalLoss + options.Objective.LocalWeight * r.LocalLoss + r.WeightDecayLoss, r.TotalLoss, 4);
        });
        // lr of the update that makes step s is lr(s − 1): 0, then the warm-up's end value.
        var schedule = LearningRateSchedule.From(options);
        Assert.Equal([schedule.At(0), schedule.At(1), schedule.At(2)], reports.Select(r => r.LearningRate));
        Assert.Equal(3 * 2.0 / source.VideosPerEpoch, reports[^1].Epoch, 12);

        var written = PretrainingOptions.FromJson(File.ReadAllText(Path.Combine(dir, Pretrainer.OptionsFileName)));
        Assert.Equal(options, written); // value equality, nested model options included
        Assert.NotEqual(options, written with { Model = written.Model with { Backbone = written.Model.Backbone with { StageWidths = [8, 16, 32, 32] } } });
        Assert.Equal(3, File.ReadAllLines(result.MetricsPath).Length);
        Assert.NotEmpty(Directory.GetFiles(result.TensorBoardDirectory, "events.out.tfevents.*"));

        using var encoder = VideoEncoder.Load(result.EncoderPath!);
        Assert.Equal(PretrainingOptions.ModelToJson(SmallModel), PretrainingOptions.ModelToJson(encoder.Options));
        var saved = CheckpointWeights(result.CheckpointPath!);
        var loaded = TrainingTestModels.Bytes(encoder.Backbone);
        Assert.NotEmpty(loaded);
        foreach (var (name, bytes) in loaded)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(saved["backbone." + name]), $"encoder tensor '{name}' differs from the checkpoint");
        }
    }

    [Fact]
    public void GlobalOnlyObjectiveTrainsWithoutTheLocalLoss()
    {
        var options = Options(2) with { Objective = new ConstCl.Losses.ConstClObjectiveOptions { LocalWeight = 0 } };
        using var source = new FakeBatchSource(SmallModel, 2, seed: 3);
        var result = new Pretrainer(options).Run(source, TrainingTestModels.TempDirectory());
        var p = result.LastProgress!;
        Assert.Equal(0, p.LocalLoss);
        Assert.Equal(p.GlobalLoss + p.WeightDecayLoss, p.TotalLoss, 5);
    }

    [Fact]
    public void InvalidSetupsFailClearly()
    {
        var bf16 = Assert.Throws<NotSupportedException>(() => new Pretrainer(Options(2) with { BFloat16 = true }));
        Assert.Contains("BFloat16", bf16.Message);
        var invalid = Assert.Throws<ArgumentException>(() => new Pretrainer(Options(2) with { Model = SmallModel with { InputSize = 0 } }));
        Assert.Contains("PretrainingOptions.Model", invalid.Message);
        using var source = new FakeBatchSource(SmallModel, 3, seed: 3);
        var batch = Assert.Throws<ArgumentException>(() => new Pretrainer(Options(2)).Run(source, TrainingTestModels.TempDirectory()));
        Assert.Contains("BatchSize = 2", batch.Message);
    }

    /// <summary>Reports synchronously on the calling thread (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    internal sealed class SyncProgress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }
}

using System.Buffers.Binary;
using ConstCl.Checkpoints;
using ConstCl.Core.Tests.Training;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Checkpoints;

/// <summary>
/// The resume machinery end to end, before the real loop exists: a small MLP with BatchNorm and dropout trained by a
/// nanoGPT-style loop built only from the Training and Checkpoints pieces (schedule, Keras SGD, kernel weight decay,
/// clipping, non-finite guard, managed + torch RNG, sampler position, checkpoint store, metrics). A run interrupted
/// and resumed must end bitwise equal to the uninterrupted run (CPU, fixed seed, same thread count).
/// </summary>
public class ResumeEndToEndTests
{
    private static readonly PretrainingOptions Options = PretrainingOptions.TinyOfficial with
    {
        Steps = 10, BatchSize = 6, WarmupSteps = 3, CheckpointEvery = 5, KeepCheckpoints = 3, LogEvery = 2,
        BaseLearningRate = 0.5, ReferenceBatchSize = 6, WeightDecay = 1e-2, GradientClipNorm = 1.0, Seed = 21,
    };

    /// <summary>Runs (or resumes) until <paramref name="stopAfter"/> steps are done; returns the final weights.</summary>
    private static Dictionary<string, byte[]> Run(string dir, int? stopAfter = null, long initSeed = 1)
    {
        var options = Options.Validate();
        using var model = TrainingTestModels.Mlp(initSeed); // a resumed run starts from other weights on purpose
        using var optimizer = ConstClOptimizer.Create(options, model);
        var decay = new KernelWeightDecay(model, options.WeightDecay);
        var schedule = LearningRateSchedule.From(options);
        var guard = new NonFiniteGuard(options.MaxConsecutiveNonFiniteSteps);
        var random = new DeterministicRandom(options.Seed);
        var store = new CheckpointStore(Path.Combine(dir, "checkpoints"), options.KeepCheckpoints);
        var parameters = model.parameters().ToArray();
        torch.manual_seed(options.Seed);

        var step = 0;
        long batchesDrawn = 0;
        var latest = store.LoadLatest();
        if (latest.Checkpoint is { } checkpoint)
        {
            using (checkpoint)
            {
                checkpoint.EnsureCompatible(options);
                checkpoint.Restore(model, optimizer, random);
                step = checkpoint.Step;
                batchesDrawn = BinaryPrimitives.ReadInt64LittleEndian(checkpoint.SamplerPosition);
            }
        }

        using var metrics = new MetricsLogger(dir, step > 0 ? step : null);
        model.train();
        while (step < options.Steps)
        {
            using (var scope = torch.NewDisposeScope())
            {
                // clone(): torch.tensor(float[]) wraps the managed array, whose alignment varies between runs, and the
                // CPU BLAS then differs in the last bit; a libtorch-allocated copy makes the run reproducible.
                var x = torch.tensor(Enumerable.Range(0, options.BatchSize * 4).Select(_ => (float)random.NextDouble() * 2 - 1).ToArray())
                    .clone().reshape(options.BatchSize, 4);                          // [B, 4]
                var target = torch.stack([x[.., 0] * x[.., 1], x[.., 2] - x[.., 3]], 1); // [B, 2]
                batchesDrawn++;

                optimizer.zero_grad();
                var fit = (model.call(x) - target).square().mean();
                var loss = fit + decay.Compute();
                loss.backward();
                var norm = GradientClipping.ClipGlobalNorm(parameters, options.GradientClipNorm!.Value);
                var lr = schedule.At(step);
                if (guard.Observe(step, loss, norm))
                {
                    optimizer.LearningRate = lr;
                    optimizer.step();
                }

                step++;
                if (step % options.LogEvery == 0)
                {
                    metrics.Log(step, [new("loss/total", loss.item<float>()), new("learning_rate", lr)]);
                }
            }

            var stopping = step == stopAfter;
            if (step % options.CheckpointEvery == 0 || step == options.Steps || stopping)
            {
                var position = new byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(position, batchesDrawn);
                store.Save(new CheckpointSnapshot
                {
                    Step = step, Model = model, Options = options, Optimizer = optimizer, ManagedRandom = random,
                    SamplerPosition = position, LearningRate = schedule.At(step),
                });
            }

            if (stopping)
            {
                break;
            }
        }

        return TrainingTestModels.Bytes(model);
    }

    [Fact]
    public void ResumedRunsEndBitwiseEqualToTheUninterruptedRun()
    {
        var uninterrupted = Run(TrainingTestModels.TempDirectory());

        // Stopped right after the checkpoint at step 5, resumed in a "new process" (other init weights).
        var dir5 = TrainingTestModels.TempDirectory();
        Run(dir5, stopAfter: 5);
        TrainingTestModels.AssertBitwiseEqual(uninterrupted, Run(dir5, initSeed: 99));

        // Cancelled at step 7 (checkpointed on the way out), resumed.
        var dir7 = TrainingTestModels.TempDirectory();
        Run(dir7, stopAfter: 7);
        TrainingTestModels.AssertBitwiseEqual(uninterrupted, Run(dir7, initSeed: 98));

        // Training changed the weights at all (the comparison is not vacuous).
        var untrained = TrainingTestModels.Bytes(TrainingTestModels.Mlp(1));
        Assert.False(untrained["fc1.weight"].AsSpan().SequenceEqual(uninterrupted["fc1.weight"]));
    }

    [Fact]
    public void TruncatedNewestCheckpointResumesFromThePreviousAndStillMatches()
    {
        var uninterrupted = Run(TrainingTestModels.TempDirectory());
        var dir = TrainingTestModels.TempDirectory();
        Run(dir, stopAfter: 7); // checkpoints at 5 and 7
        var newest = Directory.GetFiles(Path.Combine(dir, "checkpoints"), "*.ckpt").Max()!;
        Assert.EndsWith("step-000000007.ckpt", newest);
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes[..(bytes.Length * 2 / 3)]); // killed mid-write without the atomic rename

        var skipped = new CheckpointStore(Path.Combine(dir, "checkpoints"), 3).LoadLatest();
        using (skipped.Checkpoint)
        {
            Assert.Equal(5, skipped.Checkpoint!.Step);
            Assert.Single(skipped.Skipped);
        }

        TrainingTestModels.AssertBitwiseEqual(uninterrupted, Run(dir, initSeed: 97));

        // The metrics file holds each logged step once, in order, after the resume.
        var steps = File.ReadAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName))
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();
        Assert.Equal(new[] { 2, 4, 6, 8, 10 }, steps);
    }
}

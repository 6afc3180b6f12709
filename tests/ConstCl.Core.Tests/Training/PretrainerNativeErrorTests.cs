using System.Runtime.InteropServices;
using ConstCl.Checkpoints;
using ConstCl.Data;
using ConstCl.Training;
using TorchSharp;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// A libtorch error inside a training step (issue 14 item 2) ends the run with a checkpoint of the last consistent state
/// and a <see cref="TrainingStepFailedException"/> naming the step and the checkpoint; resuming from it ends bitwise equal
/// to a run that never failed.
/// </summary>
public class PretrainerNativeErrorTests
{
    private const int FailingBatch = 4;

    [Fact]
    public void ErrorBeforeTheUpdateSavesTheStateBeforeTheStepAndResumeRetriesTheBatch()
    {
        var options = PretrainerTests.Options(6) with { Threads = 1 }; // checkpoints every 3 steps
        var clean = Run(options with { CheckpointEvery = 1, KeepCheckpoints = 10 }, TrainingTestModels.TempDirectory());

        // Batch 4's boxes of view A live on the meta device: the backbone (and its BatchNorm statistics) runs, then the
        // key-frame boxes of both views are concatenated and libtorch throws (CPU and meta tensors do not mix).
        var dir = TrainingTestModels.TempDirectory();
        var error = Assert.Throws<TrainingStepFailedException>(() => Run(options, dir, failAt: FailingBatch));
        Assert.IsAssignableFrom<ExternalException>(error.InnerException);
        Assert.Equal(FailingBatch, error.Step);
        Assert.Equal(FailingBatch, error.CheckpointStep);
        Assert.EndsWith($"step-{FailingBatch:D9}.ckpt", error.CheckpointPath);
        Assert.Contains($"Training step {FailingBatch} failed inside libtorch", error.Message);
        Assert.Contains(error.CheckpointPath!, error.Message);
        Assert.DoesNotContain("frame #", error.Message); // libtorch's native stack stays in the inner exception

        // The checkpoint is the state before the failed step (BatchNorm statistics put back), batch 4 still to come.
        AssertSameWeights(Path.Combine(clean.Directory, CheckpointName(FailingBatch)), error.CheckpointPath!);
        using (var checkpoint = Checkpoint.Read(error.CheckpointPath!))
        {
            Assert.Equal(Pretrainer.WriteSamplerState(FailingBatch, 0), checkpoint.SamplerPosition);
        }

        var resumed = new Pretrainer(options) { Resume = true }.Run(Source(options), dir);
        Assert.Equal(FailingBatch, resumed.ResumedFromStep);
        Assert.Equal(6, resumed.Step);
        AssertSameWeights(clean.Result.CheckpointPath!, resumed.CheckpointPath!);
    }

    [Fact]
    public void ErrorAfterTheUpdateSavesTheCompletedStep()
    {
        var options = PretrainerTests.Options(6) with { Threads = 1 }; // checkpoints every 3 steps
        var clean = Run(options with { CheckpointEvery = 1, KeepCheckpoints = 10 }, TrainingTestModels.TempDirectory());

        // Step 4 is applied, then something native fails while it is being reported.
        var dir = TrainingTestModels.TempDirectory();
        var progress = new Progress(p =>
        {
            if (p.Step == FailingBatch + 1)
            {
                throw new ExternalException("simulated libtorch error\nframe #0: somewhere");
            }
        });
        var error = Assert.Throws<TrainingStepFailedException>(() => new Pretrainer(options).Run(Source(options), dir, progress));
        Assert.Equal(FailingBatch, error.Step);
        Assert.Equal(FailingBatch + 1, error.CheckpointStep);
        Assert.Contains("simulated libtorch error.", error.Message);
        AssertSameWeights(Path.Combine(clean.Directory, CheckpointName(FailingBatch + 1)), error.CheckpointPath!);
    }

    [Fact]
    public void MessagesNameTheStepTheCheckpointAndWhatToDo()
    {
        var native = new ExternalException("For integral input tensors, argument alpha must not be a floating point number.\nException raised from alpha_check");
        var written = new TrainingStepFailedException(1699, "/runs/a/checkpoints/step-000001699.ckpt", 1699, written: true, native);
        Assert.Equal(
            "Training step 1699 failed inside libtorch: For integral input tensors, argument alpha must not be a floating point number. " +
            "The last consistent state (step 1699) was saved to '/runs/a/checkpoints/step-000001699.ckpt'; resume the run (Resume = true, CLI --resume) to continue from it.",
            written.Message);
        Assert.Same(native, written.InnerException);

        var torn = new TrainingStepFailedException(1699, "/runs/a/checkpoints/step-000001650.ckpt", 1650, written: false, native);
        Assert.Contains("state in memory is inconsistent and was not saved; resume from the last checkpoint, '/runs/a/checkpoints/step-000001650.ckpt' (step 1650)", torn.Message);

        var none = new TrainingStepFailedException(3, null, 0, written: false, native);
        Assert.EndsWith("No checkpoint exists yet: start the run again.", none.Message);
        Assert.IsAssignableFrom<InvalidOperationException>(none); // the CLI prints these as one line, exit 1
    }

    private static string CheckpointName(int step) => Path.Combine(Pretrainer.CheckpointDirectoryName, $"step-{step:D9}.ckpt");

    private static (string Directory, PretrainingResult Result) Run(PretrainingOptions options, string dir, long? failAt = null)
    {
        using var source = Source(options, failAt);
        return (dir, new Pretrainer(options).Run(source, dir));
    }

    private static IPretrainingBatchSource Source(PretrainingOptions options, long? failAt = null) =>
        new FailingSource(new FakeBatchSource(options.Model, options.BatchSize, seed: 3), failAt);

    private static void AssertSameWeights(string expected, string actual)
    {
        using var a = Checkpoint.Read(expected);
        using var b = Checkpoint.Read(actual);
        Assert.Equal(a.Step, b.Step);
        TrainingTestModels.AssertBitwiseEqual(TrainingTestModels.Bytes(a.ModelState), TrainingTestModels.Bytes(b.ModelState));
    }

    private sealed class Progress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }

    /// <summary>Serves <paramref name="inner"/>'s batches; batch <paramref name="failAt"/> gets view A's boxes on the meta
    /// device, which pass every shape check but cannot be combined with view B's CPU boxes.</summary>
    private sealed class FailingSource(FakeBatchSource inner, long? failAt) : IPretrainingBatchSource
    {
        public int BatchSize => inner.BatchSize;

        public int VideosPerEpoch => inner.VideosPerEpoch;

        public long Position => inner.Position;

        public TimeSpan WaitTime => inner.WaitTime;

        public void Seek(long position) => inner.Seek(position);

        public PretrainingBatch Next(CancellationToken cancellationToken = default)
        {
            var batch = inner.Next(cancellationToken);
            if (batch.Index != failAt)
            {
                return batch;
            }

            var boxes = batch.Input.BoxesA;
            return batch with { Input = batch.Input with { BoxesA = torch.empty(boxes.shape, boxes.dtype, torch.META) } };
        }

        public void Dispose() => inner.Dispose();
    }
}

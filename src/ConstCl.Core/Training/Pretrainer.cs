using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using ConstCl.Checkpoints;
using ConstCl.Data;
using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using ConstCl.IO;

namespace ConstCl.Training;

/// <summary>
/// The ConST-CL pre-training loop (nanoGPT style: small and whole). Per step, inside one dispose scope:
/// <code>
/// batch  = source.Next(ct)                                  two views [B, 3, T, H, W] + boxes [B, T, N, 4]
/// loss   = GlobalWeight·L_global + LocalWeight·L_local + wd·Σ‖W‖²/2
/// loss.backward(); clip (optional); non-finite? skip and count : optimizer.step() at lr = schedule(step)
/// </code>
/// Metrics are read from the device only every <see cref="PretrainingOptions.LogEvery"/> steps. A checkpoint is written
/// every <see cref="PretrainingOptions.CheckpointEvery"/> steps, at the end, on cancellation and when the run diverges;
/// at the end the backbone is saved on its own as <c>encoder.constcl</c> (<see cref="EncoderFile"/>).
/// </summary>
/// <remarks>
/// Output directory layout: <c>checkpoints/step-*.ckpt</c>, <c>encoder.constcl</c>, <c>options.json</c>,
/// <c>metrics.jsonl</c>, <c>tensorboard/</c>; the data loader's skip report goes beside them when the caller points
/// <see cref="LoaderOptions.SkipReportPath"/> there (the CLI does). Resuming is exact on CPU with the same seed and thread
/// count: batch <c>k</c> is a pure function of (seed, k) and the checkpoint stores the batch index, the weights, the
/// optimiser velocities and both random generators.
/// <para>Device (<see cref="PretrainingOptions.Device"/>): the model is built on the CPU (the same initial weights everywhere), then
/// moved before the optimiser creates its state beside the parameters; each batch is moved as it is used; checkpoints and the
/// encoder are written from CPU copies and restored by copying the CPU tensors read from disk into the device's.</para>
/// </remarks>
public sealed class Pretrainer
{
    /// <summary>The encoder file name written into the output directory at the end of a run.</summary>
    public const string EncoderFileName = "encoder" + EncoderFile.Extension;

    /// <summary>The options copy written into the output directory (for people; checkpoints carry their own).</summary>
    public const string OptionsFileName = "options.json";

    /// <summary>The checkpoint folder inside the output directory.</summary>
    public const string CheckpointDirectoryName = "checkpoints";

    /// <summary>Creates a trainer; the options are validated here, once.</summary>
    /// <param name="options">Every hyper-parameter of the run, including <see cref="PretrainingOptions.Model"/>.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names each bad field).</exception>
    /// <exception cref="NotSupportedException"><see cref="PretrainingOptions.BFloat16"/> is set (see the remarks there).</exception>
    public Pretrainer(PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validate();
        if (options.BFloat16)
        {
            // TorchSharp 0.107.0 has no autocast. Casting the whole model to bfloat16 would also keep the weights and the
            // momentum in bf16 (not what the official mixed-precision runs do), and a float32 master copy doubles memory
            // and code; so bf16 is refused rather than silently approximated.
            throw new NotSupportedException(
                $"{nameof(PretrainingOptions)}.{nameof(PretrainingOptions.BFloat16)} = true is not supported: TorchSharp 0.107.0 has no autocast, " +
                "so mixed-precision bf16 (float32 weights, bf16 compute) cannot be reproduced. Use `options with { BFloat16 = false }` (float32 throughout).");
        }
    }

    /// <summary>The validated options.</summary>
    public PretrainingOptions Options { get; }

    /// <summary>Continue from the newest valid checkpoint in the output directory. When false, a directory that already
    /// holds checkpoints is refused (so a finished or interrupted run is never overwritten by accident).</summary>
    public bool Resume { get; init; }

    /// <summary>
    /// With <see cref="Resume"/>: when checkpoints exist but none can be resumed, start again from step 0 instead of
    /// throwing <see cref="NoUsableCheckpointException"/>. The unusable files are renamed <c>*.ckpt.unusable</c> (kept for
    /// inspection, never loaded) and the old <c>metrics.jsonl</c> is moved aside, so two runs never share one log.
    /// </summary>
    public bool StartOver { get; init; }

    /// <summary>Resume even when the checkpoint's options differ (the differences are returned and logged).</summary>
    public bool AllowDifferentOptions { get; init; }

    /// <summary>
    /// A <c>.safetensors</c> file to start from instead of random weights (see <see cref="Interop.WeightsExchange.ImportInto"/>):
    /// a whole model's weights, or an encoder's (the backbone is filled; the heads keep their random initialisation).
    /// Used only when the run starts at step 0; a resumed run continues from its checkpoint. Optional.
    /// </summary>
    public string? InitialWeights { get; init; }

    /// <summary>Receives one line per notable event (resume, skipped checkpoint, checkpoint written); optional.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>
    /// Runs (or resumes) pre-training on <paramref name="source"/> until <see cref="PretrainingOptions.Steps"/> are done or
    /// <paramref name="cancellationToken"/> fires. Cancellation writes a checkpoint and returns normally with
    /// <see cref="PretrainingResult.Cancelled"/> set.
    /// </summary>
    /// <param name="source">Batches of <see cref="PretrainingOptions.BatchSize"/> videos at the model's input shape.</param>
    /// <param name="outputDirectory">Where checkpoints, metrics and the encoder go (created if needed).</param>
    /// <param name="progress">Receives a report every <see cref="PretrainingOptions.LogEvery"/> steps (on the training thread).</param>
    /// <param name="cancellationToken">Stops the run cleanly after the current step.</param>
    /// <exception cref="TrainingDivergedException">Too many non-finite steps in a row; a checkpoint of the last good state
    /// was written (<see cref="TrainingDivergedException.CheckpointPath"/>).</exception>
    /// <exception cref="OptionsMismatchException">Resuming with different options without <see cref="AllowDifferentOptions"/>.</exception>
    /// <exception cref="NoUsableCheckpointException">Resuming, checkpoints exist but none can be resumed, and <see cref="StartOver"/> is not set.</exception>
    /// <exception cref="TrainingStepFailedException">libtorch raised an error inside a step; the last consistent state was
    /// checkpointed where that is safe (<see cref="TrainingStepFailedException.CheckpointPath"/>, named in the message).</exception>
    public PretrainingResult Run(IPretrainingBatchSource source, string outputDirectory, IProgress<PretrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputDirectory);
        var options = Options;
        if (source.BatchSize != options.BatchSize)
        {
            throw new ArgumentException($"The batch source yields {source.BatchSize} videos per batch but {nameof(PretrainingOptions)}.{nameof(PretrainingOptions.BatchSize)} = {options.BatchSize}.", nameof(source));
        }

        TorchRuntime.Initialize(options.Threads);
        var device = TorchRuntime.Resolve(options.Device);   // first: a missing CUDA back-end fails before any file is touched
        var outDir = Path.GetFullPath(outputDirectory);
        Directory.CreateDirectory(outDir);
        var store = new CheckpointStore(Path.Combine(outDir, CheckpointDirectoryName), options.KeepCheckpoints, Log);
        if (!Resume && store.List().Count > 0)
        {
            throw new InvalidOperationException(
                $"The output directory '{outDir}' already holds checkpoints. Resume the run (Resume = true, CLI --resume) or choose another directory.");
        }

        // Model, optimiser and helpers live outside every dispose scope.
        torch.manual_seed(options.Seed);
        var random = new DeterministicRandom(options.Seed);
        using var model = ConstClModel.Create(options.Model, options.Seed);
        model.to(device);
        model.train();
        using var optimizer = ConstClOptimizer.Create(options, model);
        var training = new TrainingStep(model, optimizer, options);
        var schedule = LearningRateSchedule.From(options);
        var guard = new NonFiniteGuard(options.MaxConsecutiveNonFiniteSteps);

        var step = 0;
        long skippedBefore = 0;
        int? resumedFrom = null;
        IReadOnlyList<CheckpointProblem> skippedCheckpoints = [];
        IReadOnlyList<OptionsDifference> differences = [];
        if (Resume)
        {
            // Everything Restore needs is checked first (sampler state included), so an unusable checkpoint is passed
            // over like a corrupt one and a failed restore never leaves the model half-loaded.
            var latest = store.LoadLatest(model, optimizer, random, c => ReadSamplerState(c.SamplerPosition, c.Path));
            skippedCheckpoints = latest.Skipped;
            if (latest.Checkpoint is { } checkpoint)
            {
                using (checkpoint)
                {
                    differences = checkpoint.EnsureCompatible(options, AllowDifferentOptions);
                    foreach (var d in differences)
                    {
                        Log?.Invoke($"Option differs from the checkpoint (allowed by override): {d}");
                    }

                    checkpoint.Restore(model, optimizer, random);
                    step = checkpoint.Step;
                    (var position, skippedBefore) = ReadSamplerState(checkpoint.SamplerPosition, checkpoint.Path);
                    source.Seek(position);
                    resumedFrom = step;
                    Log?.Invoke($"Resumed from '{checkpoint.Path}' at step {step} (batch {position}).");
                }
            }
            else if (latest.Skipped.Count > 0)
            {
                if (!StartOver)
                {
                    throw new NoUsableCheckpointException(store.Directory, latest.Skipped);
                }

                foreach (var problem in latest.Skipped)
                {
                    SetAside(problem.Path, problem.Path + ".unusable");
                }

                Log?.Invoke($"No usable checkpoint in '{store.Directory}' ({latest.Skipped.Count} set aside as *.unusable): starting over from step 0.");
            }
            else
            {
                Log?.Invoke($"No checkpoint in '{store.Directory}': starting from step 0.");
            }
        }

        if (resumedFrom is null && InitialWeights is not null)
        {
            var content = Interop.WeightsExchange.ImportInto(model, InitialWeights);
            Log?.Invoke(content == Interop.WeightsContent.Model
                ? $"Started from the weights in '{InitialWeights}' (every module)."
                : $"Started from the backbone weights in '{InitialWeights}' (the heads keep their random initialisation).");
        }

        // A run from step 0 never appends to an earlier run's log (a crash before the first checkpoint, or a start-over).
        var metricsPath = Path.Combine(outDir, MetricsLogger.MetricsFileName);
        var replacedMetrics = resumedFrom is null && File.Exists(metricsPath);
        if (replacedMetrics)
        {
            SetAside(metricsPath, string.Create(CultureInfo.InvariantCulture, $"{metricsPath}.{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.old"));
        }

        WriteOptionsFile(Path.Combine(outDir, OptionsFileName), options);
        // Resuming "from step 0" writes a TensorBoard session start, so TensorBoard drops the earlier run's events too.
        using var metrics = new MetricsLogger(outDir, resumedFrom ?? (replacedMetrics ? 0 : null));
        var meter = new ThroughputMeter();
        var health = new TrainingHealthMonitor(options.StallWarningSteps, options.WarmupSteps);
        var warnings = new List<string>();
        var clipsPerStep = 2 * options.BatchSize;
        PretrainingProgress? last = null;
        string? checkpointPath = null;
        var savedStep = resumedFrom ?? -1;
        var cancelled = false;

        string Save(long? position = null)
        {
            var path = store.Save(new CheckpointSnapshot
            {
                Step = step,
                Model = model,
                Options = options,
                Optimizer = optimizer,
                ManagedRandom = random,
                SamplerPosition = WriteSamplerState(position ?? source.Position, skippedBefore + guard.TotalSkipped),
                LearningRate = schedule.At(step),
            });
            savedStep = step;
            checkpointPath = path;
            Log?.Invoke($"Checkpoint written: '{path}'.");
            return path;
        }

        // libtorch failed inside step `failedStep`. Before the optimiser update nothing changed but BatchNorm's running
        // statistics (put back), so the state before the step is saved and a resume retries the same batch. During the
        // update some weights moved and others did not: that state is torn, so the newest checkpoint on disk is the safe
        // one. After the update (logging) the step is complete and is saved as it is.
        TrainingStepFailedException StepFailed(ExternalException native, int failedStep, long failedPosition, bool updating)
        {
            if (updating && step == failedStep)
            {
                Log?.Invoke($"Step {failedStep}: libtorch failed during the weight update; the state in memory was not saved.");
                var newest = store.List().FirstOrDefault();
                return new TrainingStepFailedException(failedStep, newest.Path, newest.Step, written: false, native);
            }

            if (step == failedStep)
            {
                training.Revert();
            }

            var path = step == failedStep ? Save(failedPosition) : Save();
            return new TrainingStepFailedException(failedStep, path, step, written: true, native);
        }

        while (step < options.Steps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }

            // What a libtorch error inside the step leaves behind (see the catch below).
            var (stepBefore, positionBefore, updating) = (step, source.Position, false);
            using (var scope = torch.NewDisposeScope())
            try
            {
                PretrainingBatch batch;
                try
                {
                    batch = source.Next(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }

                meter.DataReady();
                var input = batch.Input.To(device);
                var (output, objective, weightDecay, loss, norm) = training.Compute(input);
                var lr = schedule.At(step);
                bool apply;
                try
                {
                    apply = guard.Observe(step, loss, norm);
                }
                catch (TrainingDivergedException diverged)
                {
                    // Skipped steps changed nothing (once the BatchNorm statistics are put back): the model and
                    // optimiser hold the last good state.
                    training.Revert();
                    step++;
                    diverged.CheckpointPath = Save();
                    throw;
                }

                if (apply)
                {
                    updating = true;
                    training.Apply(lr);
                }
                else
                {
                    training.Revert();
                    Log?.Invoke($"Step {step}: non-finite loss or gradient, update skipped ({guard.Consecutive} in a row).");
                }

                step++;
                meter.StepDone(clipsPerStep);
                if (step % options.LogEvery == 0 || step == options.Steps)
                {
                    var (clipsPerSecond, waitShare, eta) = meter.Report(options.Steps - step);
                    var globalLoss = objective.Global.Loss.item<float>();
                    last = new PretrainingProgress(
                        step,
                        options.Steps,
                        source.VideosPerEpoch > 0 ? (double)source.Position * options.BatchSize / source.VideosPerEpoch : 0,
                        globalLoss,
                        objective.Local is { } local ? local.Loss.item<float>() : 0,
                        weightDecay.item<float>(),
                        loss.item<float>(),
                        lr,
                        clipsPerSecond,
                        waitShare,
                        eta,
                        skippedBefore + guard.TotalSkipped)
                    {
                        // A skipped (non-finite) step has nothing meaningful to measure, and the SVD would refuse it.
                        Diagnostics = apply
                            ? RepresentationDiagnostics.Measure(
                                output.GlobalEmbeddings, output.BackboneEmbeddings ?? output.GlobalEmbeddings, globalLoss,
                                (int)(output.ReversedEmbeddings?.shape[0] ?? 0))
                            : null,
                    };
                    foreach (var warning in health.Observe(step, last.Diagnostics))
                    {
                        warnings.Add(warning);
                        Log?.Invoke("Warning: " + warning);
                    }

                    metrics.Log(last);
                    progress?.Report(last);
                }
            }
            catch (ExternalException native)
            {
                throw StepFailed(native, stepBefore, positionBefore, updating);
            }

            if (step % options.CheckpointEvery == 0 || step == options.Steps)
            {
                Save();
            }
        }

        if (cancelled && savedStep != step)
        {
            Save();
        }

        string? encoderPath = null;
        if (!cancelled)
        {
            encoderPath = Path.Combine(outDir, EncoderFileName);
            EncoderFile.Save(encoderPath, model.Backbone, PretrainingOptions.ModelToJson(options.Model));
            Log?.Invoke($"Encoder written: '{encoderPath}'.");
        }

        return new PretrainingResult(
            step,
            options.Steps,
            cancelled,
            last,
            resumedFrom,
            skippedCheckpoints,
            differences,
            skippedBefore + guard.TotalSkipped,
            encoderPath,
            checkpointPath ?? store.List().Select(c => c.Path).FirstOrDefault(),
            metrics.MetricsPath,
            metrics.TensorBoardDirectory)
        {
            Warnings = warnings,
        };
    }

    /// <summary>Sampler state in a checkpoint: the next batch index and the skipped-step count, 2 × int64 little-endian.</summary>
    internal static byte[] WriteSamplerState(long position, long skippedSteps)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, position);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8), skippedSteps);
        return bytes;
    }

    private static (long Position, long SkippedSteps) ReadSamplerState(byte[] bytes, string path)
    {
        if (bytes.Length != 16)
        {
            throw new CorruptFileException(path, $"section 'sampler' holds {bytes.Length} bytes; a pre-training checkpoint holds 16 (batch index, skipped steps)");
        }

        var (position, skipped) = (BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)));
        if (position < 0 || skipped < 0)
        {
            throw new CorruptFileException(path, $"section 'sampler' holds a negative batch index ({position}) or skipped-step count ({skipped})");
        }

        return (position, skipped);
    }

    // Renames a file the run will not use (overwriting an earlier one of that name), so it is kept but never read again.
    private void SetAside(string path, string target)
    {
        try
        {
            File.Move(path, target, overwrite: true);
            Log?.Invoke($"Moved '{path}' aside to '{target}'.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log?.Invoke($"Could not move '{path}' aside: {ex.Message}");
        }
    }

    private static void WriteOptionsFile(string path, PretrainingOptions options) => AtomicFile.WriteAllText(path, options.ToJson());
}

using System.CommandLine;
using System.Globalization;
using ConstCl.Augmentation;
using ConstCl.Checkpoints;
using ConstCl.Cli.Pictures;
using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl pretrain (--data MANIFEST|DIR | --ucf101 ROOT | --hmdb51 ROOT | --synthetic) [--preset small|tiny|paper | --config options.json]
/// [--steps N] [--batch-size B] --out DIR [--resume [--start-over]] [--device cpu|cuda[:N]] …</c>: runs <see cref="Pretrainer"/> with the real
/// loader, shows progress on standard error and the result on standard output, and turns Ctrl+C (or SIGTERM) into a checkpoint
/// after the step in flight and exit code 130 (<see cref="CancellableAction"/>, with a grace of <see cref="CancellationGrace"/>).
/// <c>--config</c> starts from the <c>options.json</c> a run wrote (<see cref="Pretrainer.OptionsFileName"/>); flags given on the
/// command line override it.
/// </summary>
internal static class PretrainCommand
{
    /// <summary>Exit code after Ctrl+C (128 + SIGINT), as shells report an interrupted program.</summary>
    internal const int CancelledExitCode = ExitCodes.Cancelled;

    /// <summary>
    /// How long the step in flight and the checkpoint after it may take once Ctrl+C is pressed before the process exits anyway
    /// (a Paper step on a CPU takes minutes); the checkpoints already on disk are whole either way (written atomically).
    /// </summary>
    internal static readonly TimeSpan CancellationGrace = TimeSpan.FromMinutes(10);

    /// <summary>The prefix of every message this command writes on standard error.</summary>
    private const string Prefix = "constcl pretrain";

    /// <summary>The loader's skip report, beside the metrics in the output directory.</summary>
    internal const string SkipReportFileName = "skip-report.jsonl";

    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "The videos: a manifest CSV (path,label) or a folder with one sub-folder per class.", HelpName = "MANIFEST|DIR" };
        var ucf101 = new Option<string?>("--ucf101") { Description = "UCF101 root (videos and the official split lists)." };
        var hmdb51 = new Option<string?>("--hmdb51") { Description = "HMDB51 root (videos and the official split lists)." };
        var synthetic = new Option<bool>("--synthetic") { Description = "Synthetic action videos rendered in memory (no files)." };
        var split = SharedOptions.Split(allowAll: false, "Official split of --ucf101/--hmdb51: 1, 2 or 3 (its training list is used).");
        var preset = SharedOptions.Preset("small", "Model and training preset: small (recommended on a CPU), tiny (the official R3D-50 topology, narrow, with the CPU recipe) or paper.");
        var config = new Option<string?>("--config") { Description = $"Start from the options of this file instead of a preset: the {Pretrainer.OptionsFileName} a run writes in its --out folder. Flags given on the command line override it.", HelpName = "FILE" };
        var steps = new Option<int?>("--steps") { Description = "Optimiser steps (default: the preset's; the warm-up scales with it)." }.Within(1, OptionBounds.MaxSteps);
        var batchSize = new Option<int?>("--batch-size") { Description = "Videos per step (default: the preset's); the learning rate scales linearly." }.Within(1, OptionBounds.MaxBatch);
        var output = new Option<string>("--out") { Description = "Output directory: checkpoints, encoder.constcl, metrics, curves.png, TensorBoard.", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest valid checkpoint in --out." };
        var overrideOptions = new Option<bool>("--override-options") { Description = "With --resume: continue even when the options differ from the checkpoint's." };
        var initWeights = new Option<string?>("--init-weights") { Description = "Start from these .safetensors weights (constcl export-weights, or a PyTorch state dict): a whole model, or an encoder (the heads start random). Ignored when --resume finds a checkpoint." };
        var startOver = new Option<bool>("--start-over") { Description = "With --resume: when --out holds checkpoints but none is usable, start again from step 0 (they are renamed *.unusable, the old metrics.jsonl is moved aside) instead of refusing." };
        var seed = new Option<int>("--seed") { Description = "Seed of the model, the data order and the augmentations.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads (default: the preset's; bitwise resume needs the same count)." }.Within(1, OptionBounds.MaxThreads);
        var decodeThreads = new Option<int>("--decode-threads") { Description = "Loader threads that decode and augment ahead.", DefaultValueFactory = _ => 1 }.Within(1, 256);
        var frameCache = new Option<string?>("--frame-cache") { Description = "Decoded-frame cache folder: each video is decoded once, at its first use, into one file there; later epochs read its frames without decoding (frames × height × width × 3 bytes per video; docs/data-loader.md). Default: none, every clip is decoded.", HelpName = "DIR" };
        var localWeight = new Option<double?>("--local-weight") { Description = "Weight ω of the local loss (official code 0.001, paper 0.01)." };
        var cvrl = new Option<bool>("--cvrl") { Description = "Global loss only (the CVRL baseline; same as --local-weight 0)." };
        var logEvery = new Option<int?>("--log-every") { Description = "Metrics and progress every N steps (default: the preset's)." }.Within(1, OptionBounds.MaxSteps);
        var inputOptions = new InputOptions("What the network sees: rgb (paper) or difference (consecutive-frame differences; see docs/model.md). Default: the preset's (small: difference).");
        var input = inputOptions.Input;
        var deadZone = inputOptions.DeadZone;
        var minViewGap = new Option<int?>("--min-view-gap") { Description = "Smallest start gap between the two views in source frames (0: official CVRL sampling). Default: the preset's (small: 8)." };
        var flip = new Option<string?>("--flip") { Description = "How the two views are flipped: independent (official), shared or none. Default: the preset's (small: shared)." };
        flip.OneOf("independent", "shared", "none");
        var learningRate = new Option<double?>("--lr") { Description = "Peak learning rate, used as given (default: the preset's; small and tiny 1e-3, paper 0.04 per video scaled by the batch size)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "Update rule: sgd (official, Keras momentum), lars or adamw. Default: the preset's (small: adamw)." };
        optimizer.OneOf("sgd", "lars", "adamw");
        var reversedNegatives = new Option<string?>("--reversed-negatives") { Description = "on: view B played backwards is an extra negative of the global loss, so static cues (background, codec noise) cannot pair the views (1.5× the backbone work per step; docs/training.md). Default: the preset's (off).", HelpName = "on|off" };
        reversedNegatives.OneOf("on", "off");
        var stallWarning = new Option<int?>("--stall-warning-steps") { Description = "Warn when the loss sits at chance or the embeddings collapse for this many steps (0: off; default 100)." };
        var device = CliParsing.DeviceOption();
        var dataRoot = CliParsing.DataRootOption();
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Checkpoint every N steps (default: the preset's; always at the end)." }.Within(1, OptionBounds.MaxSteps);

        var command = new Command("pretrain", "Self-supervised ConST-CL pre-training; writes checkpoints, metrics, TensorBoard events and encoder.constcl.");
        foreach (var option in new Option[] { data, ucf101, hmdb51, synthetic, split, preset, config, steps, batchSize, output, resume, overrideOptions, startOver, initWeights, seed, threads, decodeThreads, frameCache, localWeight, cvrl, logEvery, checkpointEvery, input, deadZone, minViewGap, flip, learningRate, optimizer, reversedNegatives, stallWarning, device, dataRoot })
        {
            command.Options.Add(option);
        }

        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            int Usage(string message)
            {
                stderr.WriteLine($"{Prefix}: {message}");
                return ExitCodes.Usage;
            }

            // Only what the user typed overrides --config; a default value does not.
            bool Given(Option option) => parse.GetResult(option) is { Implicit: false };
            var sources = new[] { parse.GetValue(data) is not null, parse.GetValue(ucf101) is not null, parse.GetValue(hmdb51) is not null, parse.GetValue(synthetic) }.Count(x => x);
            if (sources != 1)
            {
                return Usage("give exactly one data source: --data MANIFEST|DIR, --ucf101 ROOT, --hmdb51 ROOT or --synthetic.");
            }

            if (parse.GetValue(cvrl) && parse.GetValue(localWeight) is double w && w != 0)
            {
                return Usage("--cvrl means --local-weight 0; do not give both.");
            }

            if (parse.GetValue(synthetic) && parse.GetValue(frameCache) is not null)
            {
                return Usage("--frame-cache caches decoded video files; --synthetic renders its videos in memory, so there is nothing to cache.");
            }

            if (parse.GetValue(overrideOptions) && !parse.GetValue(resume))
            {
                return Usage("--override-options only applies with --resume.");
            }

            if (parse.GetValue(startOver) && !parse.GetValue(resume))
            {
                return Usage("--start-over only applies with --resume.");
            }

            if (parse.GetValue(initWeights) is { } weightsFile && !File.Exists(weightsFile))
            {
                return Usage($"--init-weights: no file at '{weightsFile}'.");
            }

            string? configFile = parse.GetValue(config);
            if (configFile is not null && Given(preset))
            {
                return Usage("--config and --preset both choose the starting options; give one of them.");
            }

            PretrainingOptions options;
            LoaderOptions loaderOptions;
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            try
            {
                var basis = configFile is null ? PretrainingOptions.ForPreset(parse.GetValue(preset)!) : ReadConfig(configFile);
                options = BuildOptions(
                    basis, parse.GetValue(steps), parse.GetValue(batchSize), configFile is null || Given(seed) ? parse.GetValue(seed) : null, parse.GetValue(threads),
                    parse.GetValue(cvrl) ? 0 : parse.GetValue(localWeight), parse.GetValue(logEvery), parse.GetValue(checkpointEvery));
                options = ApplyOverrides(
                    options, parse.GetValue(input), parse.GetValue(deadZone), parse.GetValue(minViewGap), parse.GetValue(flip), parse.GetValue(learningRate), parse.GetValue(optimizer), parse.GetValue(stallWarning), parse.GetValue(reversedNegatives));
                if (configFile is null || Given(device))
                {
                    options = options with { Device = parse.GetValue(device) };
                }

                options = options.Validate();
                loaderOptions = (options.ToLoaderOptions() with
                {
                    DecodeThreads = parse.GetValue(decodeThreads),
                    CacheDirectory = FrameCacheFolder(parse.GetValue(frameCache)),
                    SkipReportPath = Path.Combine(outDir, SkipReportFileName),
                }).Validate();
            }
            catch (ArgumentException e)
            {
                return Usage(e.Message);
            }

            // Refuse what cannot run before the model is built and the data opened.
            if ((long)options.Steps * options.BatchSize > int.MaxValue)
            {
                return Usage($"--steps × --batch-size = {(long)options.Steps * options.BatchSize} videos; at most {int.MaxValue} are supported.");
            }

            // Before the data is opened: a GPU the back-end cannot run is exit 1 with the package to reference.
            TorchRuntime.Resolve(options.Device);
            if (!options.Device.IsCuda)
            {
                MemoryEstimate.EnsureFits(
                    // Time-reversed negatives run a third clip per video: 1.5× the activations of two views.
                    MemoryEstimate.Training(options.Model, options.Objective.TimeReversedNegatives ? (options.BatchSize * 3 + 1) / 2 : options.BatchSize),
                    string.Create(CultureInfo.InvariantCulture, $"pre-training at batch {options.BatchSize} (two {options.Model.InputFrames}×{options.Model.InputSize}² views per video)"),
                    "lower --batch-size.");
            }

            OutputLocation.EnsureWritable(outDir, "--out");
            VideoDataset? dataset;
            try
            {
                dataset = LoadDataset(parse.GetValue(data), parse.GetValue(ucf101), parse.GetValue(hmdb51), int.Parse(parse.GetValue(split)!, CultureInfo.InvariantCulture));
                dataset = dataset is null ? null : CliParsing.Confine(dataset, parse.GetValue(dataRoot));
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or UnauthorizedAccessException or FormatException)
            {
                return Usage($"cannot read the data: {e.Message}");
            }

            // Advice after the checks that refuse a run, so a refusal stays the first line a user reads.
            if (configFile is null && PresetNotes.ShortRun(parse.GetValue(preset)!, parse.GetValue(steps)) is { } shortRun)
            {
                stderr.WriteLine($"{Prefix}: note: {shortRun}");
            }

            if (dataset is not null)
            {
                // Missing and unreadable listings go to the skip report and count against the failure budget (the loader does both).
                DatasetLoadSummary.Write(stderr, Prefix, dataset, $"missing and unreadable ones are in {loaderOptions.SkipReportPath}");
                if (FrameCacheAdvice.For(dataset.Count, options.Steps, options.BatchSize, loaderOptions.CacheDirectory is not null) is { } cacheNote)
                {
                    stderr.WriteLine($"{Prefix}: note: {cacheNote}");
                }

                if (configFile is null && PresetNotes.LossySource(parse.GetValue(preset)!, dataset, parse.GetValue(steps)) is { } lossy)
                {
                    stderr.WriteLine($"{Prefix}: note: {lossy}");
                }
            }

            IPretrainingBatchSource source;
            try
            {
                source = dataset is null ? OpenSynthetic(options, loaderOptions) : PrefetchingBatchSource.FromDataset(dataset, loaderOptions);
            }
            catch (Exception e) when (e is FailureBudgetExceededException or InvalidDataException)
            {
                throw new CommandException(ExitCodes.Failure, e.Message);
            }

            using (source)
            {
                return Train(options, source, outDir, parse.GetValue(resume), parse.GetValue(overrideOptions), parse.GetValue(startOver), parse.GetValue(initWeights), stdout, stderr, cancellationToken);
            }
        }, CancellationGrace);
        return command;
    }

    /// <summary>
    /// The full path of <c>--frame-cache</c> (null when not given; the loader's cache creates the folder); a blank value or a path
    /// that is a file is an <see cref="ArgumentException"/> that names the option (exit code 2).
    /// </summary>
    internal static string? FrameCacheFolder(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException("--frame-cache must name a folder.");
        }

        string full = Path.GetFullPath(value);
        if (File.Exists(full))
        {
            throw new ArgumentException($"--frame-cache: '{full}' is a file; give a folder (it is created if missing).");
        }

        return full;
    }

    /// <summary>The preset with the command-line overrides; the warm-up keeps the preset's share of the steps.</summary>
    internal static PretrainingOptions BuildOptions(string preset, int? steps, int? batchSize, int seed, int? threads, double? localWeight, int? logEvery, int? checkpointEvery) =>
        BuildOptions(PretrainingOptions.ForPreset(preset), steps, batchSize, seed, threads, localWeight, logEvery, checkpointEvery);

    /// <summary>
    /// <paramref name="basis"/> (a preset, or the options of <c>--config</c>) with the command-line overrides; a null argument keeps
    /// the basis's value, and the warm-up keeps its share of the steps.
    /// </summary>
    internal static PretrainingOptions BuildOptions(PretrainingOptions basis, int? steps, int? batchSize, int? seed, int? threads, double? localWeight, int? logEvery, int? checkpointEvery)
    {
        if (steps is <= 0)
        {
            throw new ArgumentException($"--steps must be a positive number of steps; got {steps}.");
        }

        return basis.WithSteps(steps ?? basis.Steps) with
        {
            // TorchSharp has no autocast, so the Paper preset's bf16 runs in float32 here (see docs/training.md).
            BFloat16 = false,
            BatchSize = batchSize ?? basis.BatchSize,
            Seed = seed ?? basis.Seed,
            Threads = threads ?? basis.Threads,
            Objective = localWeight is double w ? basis.Objective with { LocalWeight = w } : basis.Objective,
            LogEvery = logEvery ?? basis.LogEvery,
            CheckpointEvery = checkpointEvery ?? basis.CheckpointEvery,
        };
    }

    /// <summary>
    /// The options of <c>--config FILE</c>: the <see cref="Pretrainer.OptionsFileName"/> a run writes (<see cref="PretrainingOptions.ToJson"/>).
    /// A missing, unreadable or invalid file is an <see cref="ArgumentException"/> that names it (exit code 2).
    /// </summary>
    internal static PretrainingOptions ReadConfig(string path)
    {
        string full = Path.GetFullPath(path);
        string json;
        try
        {
            json = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"--config: cannot read '{full}': {e.Message}", e);
        }

        try
        {
            return PretrainingOptions.FromJson(json);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--config '{full}': {e.Message}", e);
        }
    }

    /// <summary>The view, input and optimiser overrides; a null argument keeps the preset's value.</summary>
    internal static PretrainingOptions ApplyOverrides(PretrainingOptions options, string? input, int? deadZoneLevels, int? minViewGap, string? flip, double? learningRate, string? optimizer, int? stallWarningSteps, string? reversedNegatives = null)
    {
        if (reversedNegatives is not null)
        {
            options = options with { Objective = options.Objective with { TimeReversedNegatives = reversedNegatives == "on" } };
        }

        if (input is not null || deadZoneLevels is not null)
        {
            options = options with { Model = options.Model with { Backbone = InputOptions.Apply(options.Model.Backbone, input, deadZoneLevels) } };
        }

        if (minViewGap is int gap)
        {
            options = options with { MinimumViewGap = gap };
        }

        if (flip is not null)
        {
            var flipMode = flip switch { "shared" => FlipMode.Shared, "none" => FlipMode.None, _ => FlipMode.Independent };
            options = options with { Augmentation = options.Augmentation with { FlipMode = flipMode } };
        }

        if (learningRate is double peak)
        {
            options = options with { BaseLearningRate = peak, LearningRateScaling = LearningRateScaling.None };
        }

        if (optimizer is not null)
        {
            options = options with { Optimizer = optimizer switch { "sgd" => OptimizerKind.Sgd, "lars" => OptimizerKind.Lars, _ => OptimizerKind.AdamW } };
        }

        return stallWarningSteps is int stall ? options with { StallWarningSteps = stall } : options;
    }

    /// <summary>The dataset named on the command line; null for <c>--synthetic</c>.</summary>
    private static VideoDataset? LoadDataset(string? data, string? ucf101, string? hmdb51, int split)
    {
        if (ucf101 is not null)
        {
            return Ucf101.Load(ucf101, split, DatasetSubset.Train);
        }

        if (hmdb51 is not null)
        {
            return Hmdb51.Load(hmdb51, split, DatasetSubset.Train);
        }

        if (data is not null)
        {
            return Directory.Exists(data) ? FolderDataset.Load(data)
                : File.Exists(data) ? VideoManifest.Read(data)
                : throw new ArgumentException($"--data '{data}' is neither a manifest file nor a folder.");
        }

        return null;
    }

    private static IPretrainingBatchSource OpenSynthetic(PretrainingOptions options, LoaderOptions loader)
    {
        // Synthetic actions at the model's clip size, long enough for a clip at the loader's stride.
        var generator = new SyntheticActions(new SyntheticActionsOptions
        {
            Size = options.Model.InputSize,
            Frames = Math.Max(16, options.Model.InputFrames * loader.Stride),
            Seed = loader.Seed,
        });
        return PrefetchingBatchSource.FromSynthetic(generator, loader);
    }

    private static int Train(PretrainingOptions options, IPretrainingBatchSource source, string outDir, bool resume, bool overrideOptions, bool startOver, string? initWeights, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        // Progress and notes on standard error, the result on standard output (README, "The constcl tool").
        var interactive = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
        var progress = new ProgressPrinter(stderr, interactive);
        var c = CultureInfo.InvariantCulture;
        try
        {
            var deadZone = options.Model.Backbone.FrameDifferenceDeadZone;
            var input = deadZone > 0 ? string.Format(c, "{0} input, dead zone {1:0.#} levels", options.Model.Backbone.InputMode, InputOptions.Levels(deadZone)) : $"{options.Model.Backbone.InputMode} input";
            var omega = string.Format(c, "ω = {0:g3}", options.Objective.LocalWeight) + (options.Objective.TimeReversedNegatives ? ", time-reversed negatives" : "");
            stderr.WriteLine(string.Format(c, "constcl pretrain: {0} steps at batch {1} ({2}×{3}² clips, {4}), {5} peak lr {6:g4}, {7}, {8} threads on {10}, out '{9}'",
                options.Steps, options.BatchSize, options.Model.InputFrames, options.Model.InputSize, input, options.Optimizer,
                options.PeakLearningRate, omega, options.Threads, outDir, options.Device));
            var trainer = new Pretrainer(options) { Resume = resume, AllowDifferentOptions = overrideOptions, StartOver = startOver, InitialWeights = initWeights, Log = progress.Note };
            var result = trainer.Run(source, outDir, progress, cancellationToken);   // Ctrl+C: a checkpoint after the step in flight
            progress.Finish();
            string? curves = DrawCurves(outDir, stderr);
            if (result.Cancelled)
            {
                stderr.WriteLine($"{Prefix}: cancelled at step {result.Step} of {result.TotalSteps}; checkpoint '{result.CheckpointPath}'.");
                stderr.WriteLine($"{Prefix}: resume with the same command and --resume.");
                return CancelledExitCode;
            }

            stdout.WriteLine($"pretrain: done, {result.Step} steps ({result.SkippedSteps} skipped as non-finite).");
            if (result.LastProgress?.Diagnostics is { } last)
            {
                stdout.WriteLine($"  last batch:  {last}");
            }

            foreach (var warning in result.Warnings)
            {
                stderr.WriteLine($"{Prefix}: warning: {warning}");
            }

            stdout.WriteLine($"  encoder:     {result.EncoderPath}");
            stdout.WriteLine($"  checkpoint:  {result.CheckpointPath}");
            stdout.WriteLine($"  metrics:     {result.MetricsPath}");
            if (curves is not null)
            {
                stdout.WriteLine($"  curves:      {curves}");
            }

            stdout.WriteLine($"  tensorboard: tensorboard --logdir \"{result.TensorBoardDirectory}\"");
            return 0;
        }
        catch (OptionsMismatchException e)
        {
            progress.Finish();
            stderr.WriteLine($"{Prefix}: {e.Message}");
            stderr.WriteLine($"{Prefix}: pass --override-options to resume anyway, or use another --out.");
            return 1;
        }
        catch (NoUsableCheckpointException e)
        {
            progress.Finish();
            stderr.WriteLine($"{Prefix}: {e.Message}");
            stderr.WriteLine($"{Prefix}: add --start-over to begin again from step 0, or use another --out.");
            return 1;
        }
        catch (TrainingDivergedException e)
        {
            progress.Finish();
            stderr.WriteLine($"{Prefix}: {e.Message}");
            stderr.WriteLine($"{Prefix}: the last good state is in '{e.CheckpointPath}'.");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or FailureBudgetExceededException or CorruptFileException)
        {
            progress.Finish();
            stderr.WriteLine($"{Prefix}: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk or a folder that became read-only mid-run: checkpoints are written atomically, so the ones on disk are whole.
            progress.Finish();
            stderr.WriteLine($"{Prefix}: cannot write the run's files: {e.Message}");
            stderr.WriteLine($"{Prefix}: the checkpoints already written in '{Path.Combine(outDir, Pretrainer.CheckpointDirectoryName)}' are kept; free space (or fix the permissions) and rerun with --resume.");
            return 1;
        }
    }

    /// <summary>Draws <c>curves.png</c> from the run's metrics; a picture is a convenience, so a failure is a warning, not an error.</summary>
    private static string? DrawCurves(string outDir, TextWriter stderr)
    {
        string path = Path.Combine(outDir, TrainingCurvesPlot.FileName);
        try
        {
            var history = MetricsHistory.Read(Path.Combine(outDir, MetricsLogger.MetricsFileName));
            if (history.Get("loss/total") is null)
            {
                return null;
            }

            TrainingCurvesPlot.Write(path, history, Path.GetFileName(outDir));
            return path;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            stderr.WriteLine($"{Prefix}: warning: could not draw {TrainingCurvesPlot.FileName}: {e.Message}");
            return null;
        }
    }

    /// <summary>One updating line on a terminal; one line per report when the output is redirected.</summary>
    private sealed class ProgressPrinter(TextWriter output, bool interactive) : IProgress<PretrainingProgress>
    {
        private bool _open;

        public void Report(PretrainingProgress p)
        {
            var c = CultureInfo.InvariantCulture;
            var eta = p.Eta is { } e ? $"{(int)e.TotalHours:D2}:{e.Minutes:D2}:{e.Seconds:D2}" : "--:--:--";
            var health = p.Diagnostics is { } d
                ? string.Format(c, " | loss/chance {0:0.00}, pos top-1 {1:0.00}, emb rank {2:0.0}", d.GlobalLossToChance, d.PositiveTop1, d.EmbeddingEffectiveRank)
                : "";
            var line = string.Format(c,
                "step {0}/{1} ({2:0.0}%) epoch {3:0.00} | loss {4:0.0000} global {5:0.0000} local {6:0.0000}{7} | lr {8:g4} | {9:0.0} clips/s, data wait {10:0}% | ETA {11}{12}",
                p.Step, p.TotalSteps, 100.0 * p.Step / p.TotalSteps, p.Epoch, p.TotalLoss, p.GlobalLoss, p.LocalLoss, health, p.LearningRate, p.ClipsPerSecond,
                100 * p.DataWaitShare, eta, p.SkippedSteps > 0 ? $" | skipped {p.SkippedSteps}" : "");
            if (interactive)
            {
                output.Write("\r" + line.PadRight(Math.Max(line.Length, 120)));
                _open = true;
            }
            else
            {
                output.WriteLine(line);
            }
        }

        public void Note(string message)
        {
            Finish();
            output.WriteLine(message);
        }

        public void Finish()
        {
            if (_open)
            {
                output.WriteLine();
                _open = false;
            }
        }
    }
}

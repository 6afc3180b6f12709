using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConstCl.Checkpoints;
using ConstCl.Cli.Commands.Probe;
using ConstCl.Cli.Pictures;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet.Evaluation;
using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl probe (--model ENCODER.constcl | --random-init --preset small|tiny|paper) (--ucf101 ROOT | --hmdb51 ROOT) --split 1|2|3|all</c>
/// or <c>… --train-data MANIFEST --test-data MANIFEST</c>: the linear-probe evaluation of a frozen encoder (K clips × C crops
/// averaged, L2-normalised, ML.NET <c>LbfgsMaximumEntropy</c> or <c>SdcaMaximumEntropy</c>), or a k-nearest-neighbour
/// evaluation (<c>--knn K</c>) of the same embeddings. Embeddings are cached on disk by (encoder hash, video, protocol), so a
/// rerun with another classifier costs seconds. A video that cannot be decoded is skipped and listed, never fatal.
/// </summary>
internal static class ProbeCommand
{
    /// <summary>Query rows of the retrieval picture.</summary>
    private const int RetrievalRows = 8;

    /// <summary>Neighbours shown per query.</summary>
    private const int RetrievalNeighbours = 5;

    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "The encoder file (.constcl)." };
        var randomInit = new Option<bool>("--random-init") { Description = "Use a randomly initialised encoder of --preset instead of --model (the baseline)." };
        var inputOptions = new InputOptions("With --random-init: what the encoder sees, rgb or difference (default: the preset's; small and tiny see differences, paper RGB).");
        var input = inputOptions.Input;
        var deadZone = inputOptions.DeadZone;
        var preset = SharedOptions.Preset("small", "The network of --random-init: small, tiny or paper.");
        var seed = new Option<int>("--seed") { Description = "Seed of the probe trainer and of the --random-init weights.", DefaultValueFactory = _ => 0 };
        var ucf = new Option<string?>("--ucf101") { Description = "UCF101 root (holding UCF-101/ and ucfTrainTestlist/)." };
        var hmdb = new Option<string?>("--hmdb51") { Description = "HMDB51 root (one folder per class; split files in testTrainMulti_7030_splits/)." };
        var splitsDir = new Option<string?>("--splits-dir") { Description = "Folder of the official split files when it is not in a default place." };
        var split = SharedOptions.Split(allowAll: true, "Official split of --ucf101/--hmdb51: 1, 2, 3 or all (each in turn).");
        var trainManifest = new Option<string?>("--train-data") { Description = "Training videos: a manifest CSV (path,label); with --test-data instead of --ucf101/--hmdb51.", HelpName = "MANIFEST" };
        var testManifest = new Option<string?>("--test-data") { Description = "Test videos: a manifest CSV (path,label); its labels must occur in --train-data.", HelpName = "MANIFEST" };
        var trainer = new Option<string>("--trainer") { Description = "lbfgs (LbfgsMaximumEntropy) or sdca (SdcaMaximumEntropy).", DefaultValueFactory = _ => "lbfgs" }.OneOf("lbfgs", "sdca");
        var l2 = new Option<float?>("--l2") { Description = "L2 weight (default: L-BFGS 1, SDCA ML.NET's choice)." };
        var l1 = new Option<float?>("--l1") { Description = "L1 weight (default: L-BFGS 0, SDCA ML.NET's choice)." };
        var raw = new Option<bool>("--no-standardize") { Description = "Fit on the raw embeddings (default: standardise each dimension on the training set first)." };
        var iterations = new Option<int?>("--max-iterations") { Description = "Most L-BFGS iterations / SDCA passes (default: L-BFGS 500, SDCA ML.NET's choice)." }.Within(1, 1_000_000);
        var tolerance = new Option<float?>("--tolerance") { Description = "L-BFGS optimisation tolerance (default 1e-5)." };
        var trainerThreads = new Option<int?>("--trainer-threads") { Description = "Threads of the ML.NET trainer (default: all cores)." }.Within(1, OptionBounds.MaxThreads);
        var knn = new Option<int?>("--knn") { Description = "Evaluate by k nearest neighbours (cosine) instead of the linear probe." }.Within(1, 1_000_000);
        var voting = new Option<string>("--knn-voting") { Description = "majority, or weighted (by cosine similarity).", DefaultValueFactory = _ => "majority" }.OneOf("majority", "weighted");
        var clipOptions = new ClipOptions();
        var branch = SharedOptions.Branch("Which res5 embeds: global (res5) or local (res5_local).");
        var stage = SharedOptions.Stage();
        var batch = SharedOptions.BatchSize(16, "Clips per forward pass of the encoder.");
        var output = new Option<string?>("--out") { Description = "Folder for metrics.json, per_class.csv, confusion.csv/.png, embedding-map.png, retrieval.png, report.html, protocol.json/.md (one sub-folder per split with --split all)." };
        var result = ResultOutput.Create("{top1, top5, meanClassAccuracy, recall, classes, train, test} (recall: retrieval recall@k by k)");
        var cache = new Option<string?>("--cache") { Description = "Embedding cache folder (default: $XDG_CACHE_HOME/constcl/embeddings or ~/.cache/constcl/embeddings)." };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write the embedding cache." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: default).", DefaultValueFactory = _ => 0 }.Within(0, OptionBounds.MaxThreads);
        var device = CliParsing.DeviceOption();
        var dataRoot = CliParsing.DataRootOption();
        var command = new Command("probe", "Linear-probe (or kNN) evaluation of a frozen encoder on UCF101, HMDB51 or manifests.")
        {
            model, randomInit, input, deadZone, preset, seed, ucf, hmdb, splitsDir, split, trainManifest, testManifest, trainer, l2, l1, raw, iterations, tolerance,
            trainerThreads, knn, voting, clipOptions.Clips, clipOptions.Crops, clipOptions.Frames, clipOptions.Stride, clipOptions.Size, clipOptions.Resize, branch, stage, batch, output, result.Json, result.JsonOut, cache, noCache, threads, device,
            dataRoot, SharedOptions.RenamedBatch(),
            RenamedOption.Create("--train-manifest", "--train-data"), RenamedOption.Create("--test-manifest", "--test-data"),
        };
        // Ctrl+C (or SIGTERM) cancels the token: embedding stops between batches, exit code 130, nothing half-written (cache
        // entries and reports are written atomically; nothing is fitted or reported after a cancellation).
        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            int Usage(string message)
            {
                stderr.WriteLine($"constcl probe: {message}");
                return 2;
            }

            bool hasModel = parse.GetValue(model) is not null, isRandom = parse.GetValue(randomInit);
            if (hasModel == isRandom)
            {
                return Usage("give exactly one of --model ENCODER or --random-init (with --preset small|tiny|paper).");
            }

            int sources = (parse.GetValue(ucf) is null ? 0 : 1) + (parse.GetValue(hmdb) is null ? 0 : 1)
                + (parse.GetValue(trainManifest) is null && parse.GetValue(testManifest) is null ? 0 : 1);
            if (sources != 1)
            {
                return Usage("give exactly one data source: --ucf101 ROOT, --hmdb51 ROOT, or --train-data MANIFEST with --test-data MANIFEST.");
            }

            if ((parse.GetValue(trainManifest) is null) != (parse.GetValue(testManifest) is null))
            {
                return Usage("--train-data and --test-data go together.");
            }

            int[] splits;
            switch (parse.GetValue(split)!.Trim().ToLowerInvariant())
            {
                case "1": splits = [1]; break;
                case "2": splits = [2]; break;
                case "3": splits = [3]; break;
                case "all": splits = [1, 2, 3]; break;
                default: return Usage($"--split must be 1, 2, 3 or all; got '{parse.GetValue(split)}'.");
            }

            bool manifests = parse.GetValue(trainManifest) is not null;
            if (manifests && splits is not [1])
            {
                return Usage("--split applies to --ucf101 and --hmdb51, not to manifests.");
            }

            ConstClModelOptions? presetOptions = null;
            if (isRandom)
            {
                try
                {
                    presetOptions = ConstClModelOptions.ForPreset(parse.GetValue(preset)!);
                }
                catch (ArgumentException)
                {
                    return Usage($"--preset must be small, tiny or paper; got '{parse.GetValue(preset)}'.");
                }

                try
                {
                    presetOptions = presetOptions with { Backbone = InputOptions.Apply(presetOptions.Backbone, parse.GetValue(input), parse.GetValue(deadZone)) };
                }
                catch (ArgumentException e)
                {
                    return Usage(e.Message);
                }
            }

            ProbeTrainer trainerKind;
            switch (parse.GetValue(trainer)!.Trim().ToLowerInvariant())
            {
                case "lbfgs": trainerKind = ProbeTrainer.Lbfgs; break;
                case "sdca": trainerKind = ProbeTrainer.Sdca; break;
                default: return Usage($"--trainer must be lbfgs or sdca; got '{parse.GetValue(trainer)}'.");
            }

            KnnVoting knnVoting;
            switch (parse.GetValue(voting)!.Trim().ToLowerInvariant())
            {
                case "majority": knnVoting = KnnVoting.Majority; break;
                case "weighted": knnVoting = KnnVoting.SimilarityWeighted; break;
                default: return Usage($"--knn-voting must be majority or weighted; got '{parse.GetValue(voting)}'.");
            }

            if (parse.GetValue(knn) is < 1)
            {
                return Usage($"--knn must be at least 1; got {parse.GetValue(knn)}.");
            }

            if (!CliParsing.TryBranch(parse.GetValue(branch)!, out var embedBranch))
            {
                return Usage($"--branch must be 'global' or 'local'; got '{parse.GetValue(branch)}'.");
            }

            if (!CliParsing.TryStage(parse.GetValue(stage)!, out var embedStage))
            {
                return Usage($"--stage must be res2, res3, res4 or res5; got '{parse.GetValue(stage)}'.");
            }

            if (parse.GetValue(batch) < 1 || parse.GetValue(threads) < 0)
            {
                return Usage("--batch-size must be at least 1 and --threads at least 0.");
            }

            LinearProbeOptions probeOptions;
            try
            {
                var defaults = new LinearProbeOptions();
                probeOptions = new LinearProbeOptions
                {
                    Trainer = trainerKind,
                    L2Regularization = parse.GetValue(l2),
                    L1Regularization = parse.GetValue(l1),
                    Standardize = !parse.GetValue(raw),
                    MaximumNumberOfIterations = parse.GetValue(iterations),
                    OptimizationTolerance = parse.GetValue(tolerance) ?? defaults.OptimizationTolerance,
                    NumberOfThreads = parse.GetValue(trainerThreads),
                    Seed = parse.GetValue(seed),
                }.Validate();
            }
            catch (ArgumentException ex)
            {
                return Usage(ex.Message);
            }

            // The reports are written after embedding and fitting: find an unwritable place now, not then.
            if (parse.GetValue(output) is string outDirectory)
            {
                OutputLocation.EnsureWritable(outDirectory, "--out");
            }

            result.EnsureWritable(parse);

            TorchRuntime.Initialize(parse.GetValue(threads));
            TorchRuntime.Resolve(parse.GetValue(device));   // a GPU the back-end cannot run: exit 1 naming the package, before any work
            string? cacheRoot = parse.GetValue(noCache) ? null : parse.GetValue(cache) ?? EmbeddingCache.DefaultRoot();
            try
            {
                var plan = new Plan
                {
                    ModelPath = parse.GetValue(model),
                    PresetOptions = presetOptions,
                    PresetName = parse.GetValue(preset)!.Trim().ToLowerInvariant(),
                    Seed = parse.GetValue(seed),
                    Branch = embedBranch,
                    Stage = embedStage,
                    Splits = LoadSplits(parse.GetValue(ucf), parse.GetValue(hmdb), parse.GetValue(splitsDir), splits, parse.GetValue(trainManifest), parse.GetValue(testManifest))
                        .Select(p => p with { Train = CliParsing.Confine(p.Train, parse.GetValue(dataRoot)), Test = CliParsing.Confine(p.Test, parse.GetValue(dataRoot)) })
                        .ToArray(),
                    Clip = clipOptions.Read(parse),
                    Batch = parse.GetValue(batch),
                    Probe = probeOptions,
                    Knn = parse.GetValue(knn) is int k ? new KnnClassifier(k, knnVoting) : null,
                    OutDirectory = parse.GetValue(output),
                    Result = result,
                    CacheRoot = cacheRoot,
                    Device = parse.GetValue(device),
                    Cancellation = cancellationToken,
                };
                return Run(plan, parse, result.Text(parse), stderr);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or CorruptFileException or ArgumentException or DatasetFormatException or InvalidDataException)
            {
                stderr.WriteLine($"constcl probe: {ex.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reports that could not be written: the embeddings computed so far are in the cache, so the rerun only fits.
                stderr.WriteLine($"constcl probe: {ex.Message}");
                if (cacheRoot is not null)
                {
                    stderr.WriteLine($"constcl probe: the embeddings computed so far are cached under '{cacheRoot}'; the rerun reuses them.");
                }

                return 1;
            }
        });
        return command;
    }

    /// <summary>The official splits or the two manifests, with a clear error for a missing root or an unknown class.</summary>
    internal static IReadOnlyList<ProbeSplit> LoadSplits(string? ucf101, string? hmdb51, string? splitsDirectory, int[] splits, string? trainManifest, string? testManifest)
    {
        if (trainManifest is not null && testManifest is not null)
        {
            foreach (var file in new[] { trainManifest, testManifest })
            {
                if (!File.Exists(file))
                {
                    throw new FileNotFoundException($"manifest '{Path.GetFullPath(file)}' not found.", file);
                }
            }

            var train = VideoManifest.Read(trainManifest);
            var test = VideoManifest.Read(testManifest, train.ClassNames);
            foreach (var (ds, file) in new[] { (train, trainManifest), (test, testManifest) })
            {
                if (ds.Entries.FirstOrDefault(e => e.Label is null) is { } unlabelled)
                {
                    throw new DatasetFormatException(Path.GetFullPath(file), 0, $"video '{unlabelled.Path}' has no label; a probe needs a label for every video.");
                }
            }

            return [new ProbeSplit("manifests", null, $"{Path.GetFileName(trainManifest)} → {Path.GetFileName(testManifest)}", train, test)];
        }

        string name = ucf101 is not null ? "UCF101" : "HMDB51";
        string root = ucf101 ?? hmdb51!;
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"--{name.ToLowerInvariant()} root '{Path.GetFullPath(root)}' does not exist.");
        }

        return splits.Select(s => ucf101 is not null
                ? new ProbeSplit(name, s, s.ToString(CultureInfo.InvariantCulture), Ucf101.Load(root, s, DatasetSubset.Train, splitsDirectory), Ucf101.Load(root, s, DatasetSubset.Test, splitsDirectory))
                : new ProbeSplit(name, s, s.ToString(CultureInfo.InvariantCulture), Hmdb51.Load(root, s, DatasetSubset.Train, splitsDirectory), Hmdb51.Load(root, s, DatasetSubset.Test, splitsDirectory)))
            .ToArray();
    }

    /// <summary>Embeds, fits and reports; the text report goes to <paramref name="report"/> (standard error under <c>--json</c>).</summary>
    private static int Run(Plan plan, ParseResult parse, TextWriter report, TextWriter stderr)
    {
        var c = CultureInfo.InvariantCulture;
        var wall = Stopwatch.StartNew();
        void Draw(string file, Action draw)
        {
            try
            {
                draw();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A picture is a convenience: the numbers are already written.
                stderr.WriteLine($"constcl probe: could not draw {file}: {ex.Message}");
            }
        }

        ConstClModel? owned = null;
        VideoEncoder encoder;
        string encoderName;
        if (plan.ModelPath is string path)
        {
            encoder = VideoEncoder.Load(path, plan.Branch, plan.Device, plan.Stage);
            encoderName = Path.GetFullPath(path);
        }
        else
        {
            owned = ConstClModel.Create(plan.PresetOptions!, plan.Seed);   // built on the CPU: the same weights on every device
            owned.to(TorchRuntime.Resolve(plan.Device));
            encoder = VideoEncoder.FromModel(owned, plan.Branch, plan.Stage);
            encoderName = $"random-init {plan.PresetName} (seed {plan.Seed})";
        }

        using (owned)
        using (encoder)
        {
            var spec = plan.Clip.SpecFor(encoder.Options);
            var evaluation = new ProbeEvaluation(encoder, new EmbeddingOptions { Clips = spec, BatchSize = plan.Batch }, plan.Probe, plan.Knn);
            MemoryEstimate.EnsureFits(
                MemoryEstimate.Embedding(encoder.Options.Backbone, spec, plan.Batch, evaluation.Embedder.Options.PrefetchVideos),
                $"embedding {spec.ClipCount} clips × {spec.CropCount} crops of {spec.FramesPerClip}×{spec.Size}² at batch {plan.Batch}",
                "lower --batch-size, --clips, --crops, --frames or --size.");

            int videoCount = plan.Splits.SelectMany(s => s.Train.Entries.Concat(s.Test.Entries)).Select(e => e.Path).Distinct(StringComparer.Ordinal).Count();
            stderr.WriteLine(string.Create(c,
                $"constcl probe: {plan.Splits[0].Dataset}, {plan.Splits.Count} split(s), {videoCount} videos; encoder {encoderName} ({encoder.Hash[..12]}), branch {plan.Branch}, stage {plan.Stage}, D = {encoder.EmbeddingDimension}; {spec.ToSpecString()}"));

            string? fullList = plan.OutDirectory is null ? null : $"the skipped ones are listed in {Path.Combine(plan.OutDirectory, "failures.csv")}";
            foreach (var dataset in plan.Splits.SelectMany(s => new[] { s.Train, s.Test }))
            {
                DatasetLoadSummary.Write(stderr, "constcl probe", dataset, fullList);
            }

            var cache = plan.CacheRoot is string cacheRoot ? new EmbeddingCache(cacheRoot, evaluation.Embedder) : null;
            var embeddings = evaluation.Embed(plan.Splits, cache, stderr.WriteLine, plan.Cancellation);
            var failures = embeddings.Failures;
            string method = evaluation.Method;
            report.WriteLine($"{method}: {string.Join(", ", evaluation.Settings.Select(kv => $"{kv.Key} = {kv.Value}"))}");

            var results = new List<ProbeSplitResult>();
            foreach (var split in plan.Splits)
            {
                ProbeSplitResult r;
                try
                {
                    r = evaluation.Evaluate(split, embeddings, stderr.WriteLine);
                }
                catch (InvalidOperationException ex)
                {
                    stderr.WriteLine($"constcl probe: {ex.Message}");
                    return 1;
                }

                var result = r.Result;
                results.Add(r);
                PrintResult(report, split, result, r.FitSeconds);
                report.WriteLine(string.Join(", ", r.Recall.Select(kv => string.Create(c, $"recall@{kv.Key} {kv.Value * 100:F1} %"))) + " (test videos retrieving training videos)");
                if (plan.OutDirectory is string outDir)
                {
                    string dir = plan.Splits.Count > 1 ? Path.Combine(outDir, $"split{split.Split}") : outDir;
                    ProbeReport.Write(dir, result, evaluation.Card(r, embeddings, encoderName, plan.Seed, wall.Elapsed.TotalSeconds));
                    string name = split.Split is int n ? $"{split.Dataset} split {n}" : split.Dataset;
                    Draw(ConfusionMatrixPlot.FileName, () => ConfusionMatrixPlot.Write(Path.Combine(dir, ConfusionMatrixPlot.FileName), result, string.Create(c, $"{name}: top-1 {result.Top1 * 100:F1} %")));
                    Draw(EmbeddingMapPlot.FileName, () => EmbeddingMapPlot.Write(Path.Combine(dir, EmbeddingMapPlot.FileName), r.Train, r.Test, split.Train.ClassNames, name));
                    Draw(RetrievalView.FileName, () => DrawRetrieval(Path.Combine(dir, RetrievalView.FileName), name, split.Train.ClassNames, r.Train, r.TrainPaths, r.Test, r.TestPaths, r.Neighbours, r.Recall));
                    Draw(ProbeReportPage.FileName, () => ProbeReportPage.Write(dir, $"constcl probe: {name}, {method}", result, r.Recall));
                }
            }

            if (results.Count > 1)
            {
                report.WriteLine(string.Create(c,
                    $"mean over {results.Count} splits: top-1 {results.Average(r => r.Result.Top1) * 100:F2} %, top-5 {results.Average(r => r.Result.Top5) * 100:F2} %, mean class accuracy {results.Average(r => r.Result.MeanClassAccuracy) * 100:F2} %"));
            }

            string summary = ProbeSummary.ToJson(results);
            if (plan.OutDirectory is string root)
            {
                Directory.CreateDirectory(root);
                if (results.Count > 1)
                {
                    ProbeFiles.WriteAllText(Path.Combine(root, "summary.json"), summary);
                    Draw(ProbeReportPage.FileName, () => ProbeReportPage.WriteIndex(
                        root, $"constcl probe: {plan.Splits[0].Dataset}, {method}", results.Select(r => (r.Split.Label, $"split{r.Split.Split}/{ProbeReportPage.FileName}", r.Result)).ToArray()));
                }

                WriteFailures(Path.Combine(root, "failures.csv"), failures);
            }

            plan.Result.Write(parse, summary);

            if (failures.Count > 0)
            {
                report.WriteLine(string.Create(c, $"{failures.Count} listed video(s) skipped{(plan.OutDirectory is null ? "" : $" (see {Path.Combine(plan.OutDirectory, "failures.csv")})")}:"));
                foreach (var (p, reason) in failures.Take(10))
                {
                    report.WriteLine($"  skipped: {p}: {reason}");
                }
            }

            stderr.WriteLine(string.Create(c, $"constcl probe: done in {wall.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }
    }

    /// <summary><see cref="RetrievalView"/> of up to <see cref="RetrievalRows"/> test videos (one per class) and their nearest training videos.</summary>
    private static void DrawRetrieval(
        string path, string name, IReadOnlyList<string> classNames, IReadOnlyList<LabeledEmbedding> train, IReadOnlyList<string> trainPaths,
        IReadOnlyList<LabeledEmbedding> test, IReadOnlyList<string> testPaths, int[][] neighbours, IReadOnlyDictionary<int, double> recall)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = new List<RetrievalItem[]>();
        foreach (int q in RetrievalView.ChooseQueries(test.Select(e => e.ClassIndex).ToArray(), classNames.Count, RetrievalRows))
        {
            var row = new List<RetrievalItem> { new(VideoThumbnails.MiddleFrame(testPaths[q], RetrievalView.Cell), test[q].ClassIndex, Path.GetFileName(testPaths[q])) };
            foreach (int j in neighbours[q].Take(RetrievalNeighbours))
            {
                float cosine = NearestNeighbours.Cosine(test[q].Vector, train[j].Vector);
                row.Add(new(VideoThumbnails.MiddleFrame(trainPaths[j], RetrievalView.Cell), train[j].ClassIndex, string.Create(c, $"cos {cosine:F3}")));
            }

            rows.Add([.. row]);
        }

        string recalls = string.Join(", ", recall.Where(r => r.Key <= RetrievalNeighbours).Select(r => string.Create(c, $"recall@{r.Key} {r.Value * 100:F1} %")));
        RetrievalView.Write(path, rows, classNames, $"{name}: nearest training videos of test videos ({recalls})");
    }

    private static void PrintResult(TextWriter report, ProbeSplit split, ClassificationResult r, double fitSeconds)
    {
        var c = CultureInfo.InvariantCulture;
        int width = Math.Clamp(r.ClassNames.Max(n => n.Length), 5, 40);
        var sb = new StringBuilder();
        sb.Append(c, $"{split.Dataset} {(split.Split is null ? "" : "split ")}{split.Label}: {r.TrainCount} train, {r.TestCount} test videos, {r.ClassNames.Count} classes\n");
        sb.Append(c, $"  {"class".PadRight(width)}  {"test",5}  {"top-1",7}  {"top-5",7}\n");
        foreach (var p in r.PerClass)
        {
            sb.Append(c, $"  {p.Name.PadRight(width)}  {p.Support,5}  {Percent(p.Accuracy),7}  {Percent(p.Top5Accuracy),7}\n");
        }

        sb.Append(c, $"top-1 {r.Top1 * 100:F2} %, top-5 {r.Top5 * 100:F2} %, mean class accuracy {r.MeanClassAccuracy * 100:F2} % (fit {fitSeconds:F2} s)\n");
        report.Write(sb.ToString());

        static string Percent(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";
    }

    private static void WriteFailures(string path, IReadOnlyDictionary<string, string> failures)
    {
        if (failures.Count == 0)
        {
            File.Delete(path);
            return;
        }

        var sb = new StringBuilder("path,reason\n");
        foreach (var (p, reason) in failures.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sb.Append(ProbeFiles.CsvField(p)).Append(',').Append(ProbeFiles.CsvField(reason.ReplaceLineEndings(" "))).Append('\n');
        }

        ProbeFiles.WriteAllText(path, sb.ToString());
    }

    /// <summary>Everything a run needs, parsed and checked.</summary>
    private sealed class Plan
    {
        public string? ModelPath { get; init; }

        public ConstClModelOptions? PresetOptions { get; init; }

        public required string PresetName { get; init; }

        public int Seed { get; init; }

        public BackboneBranch Branch { get; init; }

        public BackboneStage Stage { get; init; } = BackboneStage.Res5;

        public required IReadOnlyList<ProbeSplit> Splits { get; init; }

        public required ClipRequest Clip { get; init; }

        public int Batch { get; init; }

        public required LinearProbeOptions Probe { get; init; }

        public KnnClassifier? Knn { get; init; }

        public string? OutDirectory { get; init; }

        /// <summary><c>--json</c> and <c>--json-out FILE</c>.</summary>
        public required ResultOutput Result { get; init; }

        public string? CacheRoot { get; init; }

        public ComputeDevice Device { get; init; }

        /// <summary>System.CommandLine's token: Ctrl+C stops the embedding between batches (exit code 130).</summary>
        public CancellationToken Cancellation { get; init; }
    }
}

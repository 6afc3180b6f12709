using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConstCl.Checkpoints;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl embed --model ENCODER.constcl --data MANIFEST|DIR --out FILE.parquet|FILE.idv|FILE.jsonl [--clips K --crops C]
/// [--frames T --stride s --size S --resize area|linear] [--branch global|local] [--stage res2|res3|res4|res5] [--batch-size B] [--shard i/n] [--part-rows N] [--device cpu|cuda[:N]]</c>: one L2-normalised embedding
/// per video (CVRL protocol: K clips × C crops, mean, normalise). Resumable: rows go to atomic part files first and a rerun
/// (or a run after Ctrl+C) skips videos already embedded; the final file is assembled from the parts atomically; failed videos
/// go to <c>FILE.failures.jsonl</c> and are retried on the next run. <c>constcl embed --merge A B … --out FILE</c> joins the
/// outputs of <c>--shard</c> runs into one file.
/// </summary>
internal static class EmbedCommand
{
    /// <summary>Exit code of a run stopped by Ctrl+C (the parts written so far are kept; rerun to resume).</summary>
    internal const int CancelledExitCode = ExitCodes.Cancelled;

    /// <summary>Builds the command.</summary>
    internal static Command Create() => Create(afterPart: null);

    /// <summary>Builds the command; <paramref name="afterPart"/> (tests) is called after each part file is written with its number and
    /// a token source linked to the one Ctrl+C cancels, so a test can interrupt a run at a known point.</summary>
    internal static Command Create(Action<int, CancellationTokenSource>? afterPart)
    {
        var model = new Option<string?>("--model") { Description = "The encoder file (.constcl); required unless --merge." };
        var videos = new Option<string?>("--data") { Description = "The videos: a manifest CSV (path,label) or a folder with one sub-folder of videos per class; required unless --merge.", HelpName = "MANIFEST|DIR" };
        var output = new Option<string>("--out") { Description = "Output: .parquet (Parquet), .idv (ML.NET binary) or anything else (JSON lines).", Required = true };
        var clipOptions = new ClipOptions();
        var branch = SharedOptions.Branch("Which res5 embeds: global (res5) or local (res5_local).");
        var stage = SharedOptions.Stage();
        var batch = SharedOptions.BatchSize(16, "Clips per forward pass of the encoder.");
        var shard = new Option<string?>("--shard") { Description = "i/n: embed only the videos whose list position mod n is i (run n jobs with different --out, then --merge)." };
        var partRows = new Option<int>("--part-rows") { Description = "Rows per part file (the unit of resumption).", DefaultValueFactory = _ => 256 }.Within(1, 1_000_000);
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: default).", DefaultValueFactory = _ => 0 }.Within(0, OptionBounds.MaxThreads);
        var device = CliParsing.DeviceOption();
        var dataRoot = CliParsing.DataRootOption();
        var merge = new Option<string[]>("--merge") { Description = "Instead of embedding: join these outputs of --shard runs (any format) into --out.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("embed", "Embed videos with a trained encoder (resumable; Parquet, ML.NET .idv or JSONL).")
        {
            model, videos, output, clipOptions.Clips, clipOptions.Crops, clipOptions.Frames, clipOptions.Stride, clipOptions.Size, clipOptions.Resize, branch, stage, batch, shard, partRows, threads, device, dataRoot, merge,
            SharedOptions.RenamedBatch(), RenamedOption.Create("--videos", "--data"),
        };
        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            string outPath = Path.GetFullPath(parse.GetValue(output)!);
            OutputLocation.EnsureFileWritable(outPath, "--out");
            if (parse.GetValue(merge) is { Length: > 0 } inputs)
            {
                try
                {
                    return Merge(inputs, outPath, stdout, stderr);
                }
                catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException or IOException or ArgumentException or InvalidOperationException)
                {
                    stderr.WriteLine($"constcl embed --merge: {ex.Message}");
                    return 1;
                }
            }

            if (parse.GetValue(model) is null || parse.GetValue(videos) is null)
            {
                stderr.WriteLine("constcl embed: --model and --data are required (unless --merge).");
                return 2;
            }

            if (!CliParsing.TryBranch(parse.GetValue(branch)!, out var b))
            {
                stderr.WriteLine($"constcl embed: --branch must be 'global' or 'local'; got '{parse.GetValue(branch)}'.");
                return 2;
            }

            if (!CliParsing.TryStage(parse.GetValue(stage)!, out var embedStage))
            {
                stderr.WriteLine($"constcl embed: --stage must be res2, res3, res4 or res5; got '{parse.GetValue(stage)}'.");
                return 2;
            }

            if (!CliParsing.TryShard(parse.GetValue(shard), out int shardIndex, out int shardCount))
            {
                stderr.WriteLine($"constcl embed: --shard must be i/n with 0 ≤ i < n; got '{parse.GetValue(shard)}'.");
                return 2;
            }

            if (parse.GetValue(partRows) < 1 || parse.GetValue(batch) < 1)
            {
                stderr.WriteLine("constcl embed: --part-rows and --batch-size must be at least 1.");
                return 2;
            }

            var plan = new Plan
            {
                ModelPath = parse.GetValue(model)!,
                Data = parse.GetValue(videos)!,
                DataRoot = parse.GetValue(dataRoot),
                OutPath = outPath,
                Branch = b,
                Stage = embedStage,
                ShardIndex = shardIndex,
                ShardCount = shardCount,
                PartRows = parse.GetValue(partRows),
                Clip = clipOptions.Read(parse),
                Batch = parse.GetValue(batch),
                Device = parse.GetValue(device),
            };
            TorchRuntime.Initialize(parse.GetValue(threads));
            TorchRuntime.Resolve(plan.Device);   // a GPU the back-end cannot run: exit 1 naming the package, before any work

            // Ctrl+C cancels the token: the rows embedded so far are written as a part, exit code 130. (A source of its own so that
            // tests can cancel at a known part.)
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            try
            {
                return Embed(plan, stdout, stderr, cts, afterPart);
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or CorruptFileException or ArgumentException or DatasetFormatException or InvalidDataException)
            {
                stderr.WriteLine($"constcl embed: {ex.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>
    /// Loads the videos of the plan's shard and the encoder, runs Core's <see cref="EmbeddingJob"/> (resuming from its parts),
    /// writes the final file and the failure report, and prints the result on <paramref name="stdout"/> (progress on
    /// <paramref name="stderr"/>). Returns the exit code: 0, 130 after Ctrl+C (the parts so far are kept) or 1 for an I/O failure.
    /// </summary>
    private static int Embed(Plan plan, TextWriter stdout, TextWriter stderr, CancellationTokenSource cts, Action<int, CancellationTokenSource>? afterPart)
    {
        var c = CultureInfo.InvariantCulture;
        string outPath = plan.OutPath;
        var dataset = CliParsing.Confine(LoadVideos(plan.Data), plan.DataRoot);
        var entries = dataset.Entries.Where((_, i) => i % plan.ShardCount == plan.ShardIndex).ToList();

        // Listings the dataset could not use become failure rows of this run (each in one shard), like videos that do not decode.
        var notLoaded = dataset.Report.Issues.Where(i => i.Kind != DatasetIssueKind.Duplicate)
            .Where((_, i) => i % plan.ShardCount == plan.ShardIndex)
            .Select(i => new EmbeddingRow { Path = i.Path, Error = $"{i.Kind}: {i.Reason}" })
            .ToList();
        DatasetLoadSummary.Write(stderr, "constcl embed", dataset, $"the videos not embedded are listed in {EmbeddingOutput.FailureReport(outPath)}", "to embed");

        using var encoder = VideoEncoder.Load(plan.ModelPath, plan.Branch, plan.Device, plan.Stage);
        var spec = plan.Clip.SpecFor(encoder.Options);
        var embeddingOptions = new EmbeddingOptions { Clips = spec, BatchSize = plan.Batch };
        MemoryEstimate.EnsureFits(
            MemoryEstimate.Embedding(encoder.Options.Backbone, spec, embeddingOptions.BatchSize, embeddingOptions.PrefetchVideos),
            $"embedding {spec.ClipCount} clips × {spec.CropCount} crops of {spec.FramesPerClip}×{spec.Size}² at batch {embeddingOptions.BatchSize}",
            "lower --batch-size, --clips, --crops, --frames or --size.");

        var partsDir = EmbeddingOutput.PartsDirectory(outPath);
        var job = EmbeddingJob.Open(encoder, entries, partsDir, embeddingOptions, plan.PartRows);   // parts of another encoder or protocol: InvalidDataException, exit 1
        stderr.WriteLine(string.Create(c,
            $"constcl embed: {entries.Count} videos (shard {plan.ShardIndex}/{plan.ShardCount}), {job.AlreadyEmbedded} already embedded, {job.ToEmbed.Count} to do; {job.ClipSpec}, branch {plan.Branch}, stage {plan.Stage}, D = {encoder.EmbeddingDimension}, encoder {encoder.Hash[..12]}, {EmbeddingOutput.FormatOf(outPath)} output"));

        int lastTenth = -1;
        var watch = Stopwatch.StartNew();
        var progress = new InlineProgress<EmbeddingProgress>(p =>
        {
            int tenth = p.Total > 0 ? p.Done * 10 / p.Total : 0;
            if (tenth != lastTenth)
            {
                lastTenth = tenth;
                stderr.WriteLine(string.Create(c, $"  {p.Done}/{p.Total} videos, {p.Failed} failed, {p.Clips / Math.Max(watch.Elapsed.TotalSeconds, 1e-9):F1} clips/s"));
            }
        });

        try
        {
            var result = job.Run(progress, cts.Token, part => afterPart?.Invoke(part, cts));
            if (result.Cancelled)
            {
                stderr.WriteLine(string.Create(c,
                    $"constcl embed: cancelled after {result.Embedded} of {job.ToEmbed.Count} videos; the rows so far are in {partsDir}. Rerun the same command to resume."));
                return CancelledExitCode;
            }

            var failures = notLoaded.Concat(result.Failures).ToList();
            EmbeddingOutput.WriteFinal(outPath, result.Rows, encoder.EmbeddingDimension, spec.ClipCount * spec.FramesPerClip);
            var report = EmbeddingOutput.FailureReport(outPath);
            if (failures.Count > 0)
            {
                EmbeddingOutput.WriteJsonLinesFile(report, failures);
            }
            else if (File.Exists(report))
            {
                File.Delete(report);
            }

            stdout.WriteLine(string.Create(c,
                $"Wrote {outPath}: {result.Rows.Count} embeddings of {encoder.EmbeddingDimension} values, {failures.Count} failed{(failures.Count > 0 ? $" (see {report})" : "")}, {watch.Elapsed.TotalSeconds:F1} s"));
            foreach (var f in failures.Take(10))
            {
                stdout.WriteLine($"  failed: {f.Path}: {f.Error}");
            }

            return 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A full disk or a lost permission: the parts written so far stay, so the rerun embeds only the rest.
            stderr.WriteLine($"constcl embed: {ex.Message}");
            stderr.WriteLine($"constcl embed: the rows written so far are kept in {partsDir}; fix the problem and rerun the same command to finish.");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Joins the final files of <c>--shard</c> runs (any format, in the order given) into <paramref name="outPath"/>; all rows must
    /// come from one encoder and one protocol; a path present in several inputs is kept once (its first row).
    /// </summary>
    private static int Merge(IReadOnlyList<string> inputs, string outPath, TextWriter stdout, TextWriter stderr)
    {
        var rows = new List<EmbeddingRow>();
        foreach (var input in inputs)
        {
            if (!File.Exists(input))
            {
                throw new FileNotFoundException($"--merge input '{input}' does not exist.", input);
            }

            if (Path.GetFullPath(input) == outPath)
            {
                throw new ArgumentException($"--merge input '{input}' is also --out; write the merged file elsewhere.");
            }

            rows.AddRange(EmbeddingOutput.ReadFinal(input));
        }

        var hashes = rows.Select(r => r.EncoderHash).Distinct(StringComparer.Ordinal).ToList();
        var specs = rows.Select(r => r.ClipSpec).Distinct(StringComparer.Ordinal).ToList();
        if (hashes.Count > 1 || specs.Count > 1)
        {
            throw new InvalidDataException($"the inputs mix {hashes.Count} encoders and {specs.Count} protocols ({string.Join(" | ", specs)}); merge only the shards of one run.");
        }

        var unique = rows.DistinctBy(r => r.Path, StringComparer.Ordinal).ToList();
        EmbeddingOutput.WriteFinal(outPath, unique);
        if (unique.Count < rows.Count)
        {
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"constcl embed --merge: {rows.Count - unique.Count} rows whose path was already present were skipped."));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {outPath}: {unique.Count} embeddings from {inputs.Count} files."));
        return 0;
    }

    /// <summary>
    /// A folder-per-class tree or a manifest CSV. Manifest files are not checked here (a missing one becomes a failure row when
    /// it is decoded), so a video's shard does not change when another file goes missing between runs.
    /// </summary>
    private static VideoDataset LoadVideos(string source)
    {
        if (Directory.Exists(source))
        {
            return FolderDataset.Load(source);
        }

        if (File.Exists(source))
        {
            return VideoManifest.Read(source, checkFiles: false);
        }

        throw new FileNotFoundException($"--data '{source}' is neither a folder nor a manifest file.", source);
    }

    /// <summary>Everything an embedding run needs, parsed and checked.</summary>
    private sealed class Plan
    {
        public required string ModelPath { get; init; }

        /// <summary>A manifest CSV or a folder with one sub-folder per class.</summary>
        public required string Data { get; init; }

        public string? DataRoot { get; init; }

        /// <summary>The final file (full path); the parts and the failure report are named after it.</summary>
        public required string OutPath { get; init; }

        public BackboneBranch Branch { get; init; }

        public BackboneStage Stage { get; init; } = BackboneStage.Res5;

        public int ShardIndex { get; init; }

        public int ShardCount { get; init; } = 1;

        public int PartRows { get; init; }

        public required ClipRequest Clip { get; init; }

        public int Batch { get; init; }

        public ComputeDevice Device { get; init; }
    }
}

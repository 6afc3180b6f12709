using System.CommandLine;
using ConstCl.Cli;
using ConstCl.Cli.Commands;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Parquet;

namespace ConstCl.Cli.Tests;

/// <summary><c>constcl export-onnx</c> and <c>constcl embed</c> on tiny synthetic videos (8 frames of 32²) with a Tiny encoder.</summary>
public sealed class EmbedCommandTests : IDisposable
{
    /// <summary>The protocol every embed test uses: 2 clips × 1 crop of 4×32² at stride 1.</summary>
    private static readonly EvaluationClipSpec Spec = new() { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32, Resize = ConstCl.Video.FrameResizeMode.Area };   // the CLI's default --resize

    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-embedcli-" + Guid.NewGuid().ToString("N"));
    private readonly string _encoderPath;
    private readonly SyntheticDatasetFiles _files;

    public EmbedCommandTests()
    {
        TorchRuntime.Initialize(2);
        _files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 3, Frames = 8, Size = 32, Seed = 5 }).WriteFiles(Path.Combine(_root, "videos"));
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 }, seed: 2);
        using var encoder = VideoEncoder.FromModel(model);
        _encoderPath = Path.Combine(_root, "tiny.constcl");
        encoder.Save(_encoderPath);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Run(Program.BuildRootCommand(), args);

    private static (int Code, string Out, string Err) Run(Command root, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.Run(root, args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The embed arguments of <see cref="Spec"/> for <paramref name="videos"/> → <paramref name="output"/>.</summary>
    private string[] EmbedArgs(string videos, string output, params string[] more) =>
        ["embed", "--model", _encoderPath, "--data", videos, "--out", output, "--clips", "2", "--crops", "1", "--stride", "1", .. more];

    /// <summary>The manifest's video paths in list order (what <c>embed</c> resolves them to).</summary>
    private string[] ManifestPaths() => VideoManifest.Read(_files.Manifest, checkFiles: false).Entries.Select(e => e.Path).ToArray();

    /// <summary>Every row equals the library's own embedding of its video (<see cref="VideoEmbedder"/> with the same protocol).</summary>
    private void AssertRowsEqualTheEmbedder(IReadOnlyList<EmbeddingRow> rows, double tolerance = 1e-6)
    {
        using var encoder = VideoEncoder.Load(_encoderPath);
        var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec });
        var direct = embedder.EmbedMany(rows.Select(r => r.Path).ToList());
        foreach (var (row, expected) in rows.Zip(direct))
        {
            Assert.Equal(expected.Path, row.Path);
            Assert.Equal(expected.Vector!.Length, row.Embedding.Length);
            for (int d = 0; d < expected.Vector.Length; d++)
            {
                Assert.InRange(row.Embedding[d] - expected.Vector[d], -tolerance, tolerance);
            }

            Assert.Equal(encoder.Hash, row.EncoderHash);
            Assert.Equal(Spec.ToSpecString(), row.ClipSpec);
            Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], row.ClipFrameIndices);   // 8 frames, K = 2 clips of T = 4 at stride 1: starts linspace(0, 8 − 4, 2) = 0, 4
            Assert.Equal(4, row.FramesPerClip);
            Assert.StartsWith("move_", row.Label, StringComparison.Ordinal);
            Assert.Null(row.Error);
        }
    }

    [Fact]
    public void Export_onnx_writes_a_model_that_matches_the_encoder()
    {
        var onnx = Path.Combine(_root, "encoder.onnx");
        var (code, stdout, stderr) = Run("export-onnx", "--model", _encoderPath, "--out", onnx, "--branch", "local");
        Assert.True(code == 0, stderr);
        Assert.Contains("branch Local", stdout, StringComparison.Ordinal);

        using var encoder = VideoEncoder.Load(_encoderPath, BackboneBranch.Local);
        var video = Directory.GetFiles(_files.Directory, "*.avi", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var (data, shape) = EvaluationClips.Prepare(video, Spec);
        var pooled = encoder.Encode(data, shape);
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, new Dictionary<string, OrtValue> { ["clips"] = input }, session.OutputNames);
        var actual = results[0].GetTensorDataAsSpan<float>().ToArray();
        for (int row = 0; row < 2; row++)
        {
            var v = pooled.AsSpan(row * 256, 256).ToArray();
            var norm = Math.Sqrt(v.Sum(x => (double)x * x));
            for (int d = 0; d < 256; d++)
            {
                Assert.InRange(actual[(row * 256) + d] - (v[d] / norm), -1e-4, 1e-4);
            }
        }

        Assert.Equal(2, Run("export-onnx", "--model", _encoderPath, "--out", onnx, "--layout", "square").Code);
        Assert.Equal(1, Run("export-onnx", "--model", Path.Combine(_root, "missing.constcl"), "--out", onnx).Code);
    }

    [Fact]
    public async Task Embed_writes_parquet_and_idv_that_load_back_with_the_embedders_vectors()
    {
        var parquet = Path.Combine(_root, "out", "emb.parquet");
        var (code, stdout, stderr) = Run(EmbedArgs(_files.Manifest, parquet, "--batch-size", "3"));
        Assert.True(code == 0, stderr);
        Assert.Contains("6 embeddings of 256 values, 0 failed", stdout, StringComparison.Ordinal);
        var fromParquet = EmbeddingOutput.ReadFinal(parquet);
        Assert.Equal(ManifestPaths(), fromParquet.Select(r => r.Path));
        AssertRowsEqualTheEmbedder(fromParquet);

        // The Parquet columns any tool sees (docs/embedding.md lists them).
        await using (var stream = File.OpenRead(parquet))
        await using (var reader = await ParquetReader.CreateAsync(stream))
        {
            Assert.Equal(
                ["path", "label", "embedding", "clip_frame_indices", "frames_per_clip", "clip_spec", "encoder_hash"],
                reader.Schema.Fields.Select(f => f.Name));
        }

        var idv = Path.Combine(_root, "out", "emb.idv");
        (code, stdout, stderr) = Run(EmbedArgs(_files.Manifest, idv, "--batch-size", "3"));
        Assert.True(code == 0, stderr);
        Assert.Contains("MLNetBinary output", stderr, StringComparison.Ordinal);

        // Plain ML.NET reads it: typed columns, the Embedding a known-size float vector a trainer takes as is.
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromBinary(idv);
        Assert.Equal(["VideoPath", "Label", "Embedding", "ClipFrameIndices", "FramesPerClip", "ClipSpec", "EncoderHash"], data.Schema.Select(c => c.Name));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 256), data.Schema["Embedding"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int32, 8), data.Schema["ClipFrameIndices"].Type);
        Assert.Equal(TextDataViewType.Instance, data.Schema["VideoPath"].Type);
        Assert.Equal(TextDataViewType.Instance, data.Schema["Label"].Type);
        Assert.Equal(ManifestPaths(), data.GetColumn<string>("VideoPath"));
        var vectors = data.GetColumn<float[]>("Embedding").ToArray();
        for (int i = 0; i < vectors.Length; i++)
        {
            Assert.Equal(fromParquet[i].Embedding, vectors[i]);              // both are the embedder's floats, bit for bit
        }

        var fromIdv = EmbeddingOutput.ReadFinal(idv);
        AssertRowsEqualTheEmbedder(fromIdv);
        var probe = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"))
            .Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(probe.Transform(data));
        Assert.InRange(metrics.MicroAccuracy, 0.0, 1.0);                  // it trained and scored every row
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "out"), "*.tmp-*"));
    }

    [Fact]
    public void Resize_linear_is_recorded_in_the_rows_and_an_unknown_filter_is_a_usage_error()
    {
        var jsonl = Path.Combine(_root, "out", "linear.jsonl");
        var (code, _, stderr) = Run(EmbedArgs(_files.Manifest, jsonl, "--resize", "linear"));
        Assert.True(code == 0, stderr);
        Assert.All(EmbeddingOutput.ReadFinal(jsonl), r => Assert.Equal((Spec with { Resize = ConstCl.Video.FrameResizeMode.Linear }).ToSpecString(), r.ClipSpec));

        var (bad, _, error) = Run(EmbedArgs(_files.Manifest, Path.Combine(_root, "out", "bad.jsonl"), "--resize", "cubic"));
        Assert.Equal(2, bad);
        Assert.Contains("--resize", error, StringComparison.Ordinal);
        Assert.Contains("area", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Stage_res3_embeds_the_narrower_res3_vectors_and_an_unknown_stage_is_a_usage_error()
    {
        var jsonl = Path.Combine(_root, "out", "res3.jsonl");
        var (code, stdout, stderr) = Run(EmbedArgs(_files.Manifest, jsonl, "--stage", "res3"));
        Assert.True(code == 0, stderr);
        Assert.Contains("stage Res3, D = 64", stdout + stderr, StringComparison.Ordinal);
        var rows = EmbeddingOutput.ReadFinal(jsonl);
        using var encoder = VideoEncoder.Load(_encoderPath, stage: BackboneStage.Res3);
        var direct = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec }).EmbedMany(rows.Select(r => r.Path).ToList());
        foreach (var (row, expected) in rows.Zip(direct))
        {
            Assert.Equal(64, row.Embedding.Length);
            Assert.Equal(encoder.Hash, row.EncoderHash);
            Assert.All(row.Embedding.Zip(expected.Vector!), p => Assert.InRange(p.First - p.Second, -1e-6, 1e-6));
        }

        var (bad, _, error) = Run(EmbedArgs(_files.Manifest, Path.Combine(_root, "out", "bad.jsonl"), "--stage", "res6"));
        Assert.Equal(2, bad);
        Assert.Contains("--stage", error, StringComparison.Ordinal);
        Assert.Contains("res5", error, StringComparison.Ordinal);

        // export-onnx stops at the same stage.
        var onnx = Path.Combine(_root, "res3.onnx");
        var (exported, written, exportError) = Run("export-onnx", "--model", _encoderPath, "--out", onnx, "--stage", "res3");
        Assert.True(exported == 0, exportError);
        Assert.Contains("stage Res3", written, StringComparison.Ordinal);
        Assert.Contains("embedding 64", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Interrupted_run_resumes_without_duplicates_and_with_the_same_vectors()
    {
        var idv = Path.Combine(_root, "out", "emb.idv");
        var parts = EmbeddingOutput.PartsDirectory(idv);
        string[] args = EmbedArgs(_files.Manifest, idv, "--batch-size", "1", "--part-rows", "2");

        // Stop (as Ctrl+C does) once the second part is on disk: 4 of 6 videos kept, no final file.
        var root = new RootCommand { EmbedCommand.Create((part, stop) => { if (part == 1) { stop.Cancel(); } }) };
        var (code, _, stderr) = Run(root, args);
        Assert.True(code == EmbedCommand.CancelledExitCode, stderr);
        Assert.Contains("cancelled after 4 of 6 videos", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(idv));
        Assert.Equal(4, EmbeddingJob.ReadParts(parts).Count);

        // A crash in the middle of writing a part leaves a temporary file: it is ignored and removed.
        File.WriteAllText(Path.Combine(parts, "part-00002.jsonl.tmp-0123"), "{\"path\":\"trunc");
        (code, _, stderr) = Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("4 already embedded, 2 to do", stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(parts, "*.tmp-*"));
        Assert.Equal(6, EmbeddingJob.ReadParts(parts).Count);       // each video embedded once over both runs

        var rows = EmbeddingOutput.ReadFinal(idv);
        Assert.Equal(ManifestPaths(), rows.Select(r => r.Path));
        Assert.Equal(6, rows.Select(r => r.Path).Distinct().Count());
        AssertRowsEqualTheEmbedder(rows);

        // A part lost after the run (say, a disk restored from an older copy): only its rows are embedded again.
        File.Delete(Directory.GetFiles(parts, "part-*.jsonl").Order(StringComparer.Ordinal).First());
        (code, _, stderr) = Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("4 already embedded, 2 to do", stderr, StringComparison.Ordinal);
        var again = EmbeddingOutput.ReadFinal(idv);
        Assert.Equal(rows.Select(r => r.Path), again.Select(r => r.Path));
        for (int i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Embedding, again[i].Embedding);          // JSON keeps floats exactly: parts round-trip bit for bit
        }

        // The parts remember the protocol: a rerun with other clips is refused rather than mixed in.
        var threeClips = args.ToArray();
        threeClips[Array.IndexOf(threeClips, "--clips") + 1] = "3";
        (code, _, stderr) = Run(threeClips);
        Assert.Equal(1, code);
        Assert.Contains("another protocol", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Shards_partition_the_videos_exactly_once_and_merge_into_one_file()
    {
        var all = ManifestPaths();
        string[] outputs = [Path.Combine(_root, "out", "s0.parquet"), Path.Combine(_root, "out", "s1.idv"), Path.Combine(_root, "out", "s2.jsonl")];
        var seen = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var (code, _, stderr) = Run(EmbedArgs(_files.Manifest, outputs[i], "--shard", $"{i}/3", "--batch-size", "4"));
            Assert.True(code == 0, stderr);
            var paths = EmbeddingOutput.ReadFinal(outputs[i]).Select(r => r.Path).ToArray();
            Assert.Equal(all.Where((_, k) => k % 3 == i), paths);              // list positions i, i+3, …
            seen.AddRange(paths);
        }

        Assert.Equal(all.Order(StringComparer.Ordinal), seen.Order(StringComparer.Ordinal));   // every video exactly once

        var merged = Path.Combine(_root, "out", "all.idv");
        var (mergeCode, stdout, mergeErr) = Run(["embed", "--merge", .. outputs, "--out", merged]);
        Assert.True(mergeCode == 0, mergeErr);
        Assert.Contains("6 embeddings from 3 files", stdout, StringComparison.Ordinal);
        var rows = EmbeddingOutput.ReadFinal(merged);
        Assert.Equal(all.Order(StringComparer.Ordinal), rows.Select(r => r.Path).Order(StringComparer.Ordinal));
        AssertRowsEqualTheEmbedder(rows);

        // Bad requests: a shard index out of range; a merge of another encoder's rows; no --model.
        Assert.Equal(2, Run(EmbedArgs(_files.Manifest, outputs[0], "--shard", "3/3")).Code);
        var foreign = EmbeddingOutput.ReadFinal(outputs[2]);
        foreign.ForEach(r => r.EncoderHash = "0123456789abcdef");
        var foreignFile = Path.Combine(_root, "out", "foreign.jsonl");
        EmbeddingOutput.WriteFinal(foreignFile, foreign);
        var (badCode, _, badErr) = Run(["embed", "--merge", outputs[0], foreignFile, "--out", Path.Combine(_root, "out", "bad.idv")]);
        Assert.Equal(1, badCode);
        Assert.Contains("mix 2 encoders", badErr, StringComparison.Ordinal);
        Assert.Equal(2, Run(["embed", "--data", _files.Manifest, "--out", merged]).Code);
    }

    [Fact]
    public void Failure_report_lists_a_corrupt_video_and_the_run_continues()
    {
        // The corrupt file sits in the middle of the list: the videos after it are embedded too.
        var bad = Path.Combine(_files.Directory, "broken.avi");
        File.WriteAllText(bad, "not a video");
        var manifest = Path.Combine(_files.Directory, "with-bad.csv");
        var lines = File.ReadAllLines(_files.Manifest).ToList();
        lines.Insert(3, "broken.avi,move_left");
        File.WriteAllLines(manifest, lines);
        var output = Path.Combine(_root, "out", "emb.idv");

        var (code, stdout, stderr) = Run(EmbedArgs(manifest, output, "--batch-size", "3", "--part-rows", "2"));
        Assert.True(code == 0, stderr);
        Assert.True(stdout.Contains("6 embeddings of 256 values, 1 failed", StringComparison.Ordinal), stdout + stderr + File.ReadAllText(manifest));
        Assert.Contains($"failed: {bad}", stdout, StringComparison.Ordinal);
        var failure = Assert.Single(EmbeddingOutput.ReadJsonLines(EmbeddingOutput.FailureReport(output)));
        Assert.Equal(bad, failure.Path);
        Assert.False(string.IsNullOrWhiteSpace(failure.Error));
        var rows = EmbeddingOutput.ReadFinal(output);
        Assert.Equal(ManifestPaths(), rows.Select(r => r.Path));
        AssertRowsEqualTheEmbedder(rows);

        // The failed video is retried on the next run (and fails again); the others are not embedded again, and take the labels
        // the list gives them now.
        File.WriteAllLines(manifest, lines.Select(l => l.Replace(",move_right", ",moving_right", StringComparison.Ordinal)));
        (code, _, stderr) = Run(EmbedArgs(manifest, output, "--batch-size", "3", "--part-rows", "2"));
        Assert.True(code == 0, stderr);
        Assert.Contains("6 already embedded, 1 to do", stderr, StringComparison.Ordinal);
        Assert.Single(EmbeddingOutput.ReadJsonLines(EmbeddingOutput.FailureReport(output)), r => r.Path == bad);
        var relabelled = EmbeddingOutput.ReadFinal(output);
        Assert.Equal(["move_left", "move_left", "move_left", "moving_right", "moving_right", "moving_right"], relabelled.Select(r => r.Label));
        Assert.Equal(rows.Select(r => r.Embedding), relabelled.Select(r => r.Embedding));
    }
}

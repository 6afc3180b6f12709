using System.CommandLine;
using ConstCl.Cli;
using ConstCl.Cli.Commands;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace ConstCl.Cli.Tests;

/// <summary><c>constcl export-onnx</c> and <c>constcl embed</c> on tiny synthetic videos with a Tiny encoder.</summary>
public sealed class EmbedCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-embedcli-" + Guid.NewGuid().ToString("N"));
    private readonly string _encoderPath;
    private readonly SyntheticDatasetFiles _files;

    public EmbedCommandTests()
    {
        TorchRuntime.Initialize(2);
        _files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 3, Frames = 6, Size = 32, Seed = 5 }).WriteFiles(Path.Combine(_root, "videos"));
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

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
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
        var (data, shape) = EvaluationClips.Prepare(video, new EvaluationClipSpec { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 });
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
    public void Embed_writes_parquet_resumes_without_duplicates_and_reports_failures()
    {
        // A manifest with the six videos plus one that is not a video.
        var bad = Path.Combine(_root, "videos", "broken.avi");
        File.WriteAllText(bad, "not a video");
        var manifest = Path.Combine(_root, "videos", "with-bad.csv");
        File.WriteAllLines(manifest, File.ReadAllLines(_files.Manifest).Append("broken.avi,move_left"));
        var output = Path.Combine(_root, "out", "emb.parquet");
        string[] args = ["embed", "--model", _encoderPath, "--videos", manifest, "--out", output, "--clips", "2", "--crops", "1", "--stride", "1", "--batch", "3", "--part-rows", "2"];

        var (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("6 embeddings of 256 values, 1 failed", stdout, StringComparison.Ordinal);
        var first = EmbeddingOutput.ReadFinal(output);
        Assert.Equal(6, first.Count);
        Assert.Single(EmbeddingOutput.ReadJsonLines(EmbeddingOutput.FailureReport(output)), r => r.Path == bad);

        // Each row equals the library's embedding of that video (Parquet read back, vectors equal).
        using (var encoder = VideoEncoder.Load(_encoderPath))
        {
            var embedder = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = new EvaluationClipSpec { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 } });
            foreach (var row in first)
            {
                var expected = embedder.Embed(row.Path);
                Assert.Equal(expected.Length, row.Embedding.Length);
                for (int d = 0; d < expected.Length; d++)
                {
                    Assert.InRange(row.Embedding[d] - expected[d], -1e-5, 1e-5);
                }

                Assert.Equal(encoder.Hash, row.EncoderHash);
                Assert.Equal(8, row.ClipFrameIndices.Length);
                Assert.Equal(4, row.FramesPerClip);
                Assert.StartsWith("move_", row.Label, StringComparison.Ordinal);
                Assert.Null(row.Error);
            }
        }

        // Resume after losing the last part and the final file: only the missing rows are embedded again, no duplicates.
        var parts = Directory.GetFiles(EmbeddingOutput.PartsDirectory(output), "part-*.jsonl").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, parts.Length);                      // 7 rows, 2 per part
        File.Delete(parts[1]);
        File.Delete(output);
        (code, stdout, stderr) = Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("4 already embedded, 3 to do", stderr, StringComparison.Ordinal);
        var second = EmbeddingOutput.ReadFinal(output);
        Assert.Equal(first.Select(r => r.Path), second.Select(r => r.Path));
        Assert.Equal(6, second.Select(r => r.Path).Distinct().Count());
        for (int i = 0; i < first.Count; i++)
        {
            Assert.All(first[i].Embedding.Zip(second[i].Embedding), p => Assert.InRange(p.First - p.Second, -1e-5, 1e-5));
        }

        // Shards split the list; JSONL output.
        var shardOut = Path.Combine(_root, "out", "shard1.jsonl");
        (code, _, stderr) = Run([.. args[..5], "--out", shardOut, "--clips", "2", "--crops", "1", "--stride", "1", "--shard", "1/2"]);
        Assert.True(code == 0, stderr);
        Assert.Equal(first.Where((_, i) => i % 2 == 1).Select(r => r.Path), EmbeddingOutput.ReadFinal(shardOut).Select(r => r.Path).Take(3));
        Assert.Equal(2, Run([.. args, "--shard", "2/2"]).Code);
    }
}

// The package check's consumer: synthetic videos → ML.NET pre-training of a Tiny encoder (a few steps) → linear probe →
// embedding with ConstCl.Core → mlContext.Model.Save / Load → the same scores. Prints one line per check; exits 1 on
// the first failure (with the reason), 0 when all pass.
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

var root = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "constcl-package-consumer-" + Environment.ProcessId);
Directory.CreateDirectory(root);
var started = DateTime.UtcNow;
var failures = 0;

void Check(string what, bool ok, string detail)
{
    Console.WriteLine($"consumer: {(ok ? "ok  " : "FAIL")} {what}: {detail}");
    if (!ok)
    {
        failures++;
    }
}

try
{
    Console.WriteLine($"consumer: ConstCl.Core {Version(typeof(ConstClModel))}, ConstCl.MLNet {Version(typeof(ConstClCatalog))}, " +
                      $"ML.NET {Version(typeof(MLContext))}, from {Path.GetDirectoryName(typeof(ConstClModel).Assembly.Location)}");

    TorchRuntime.Initialize(threads: 2);
    var probe = TorchSharp.torch.ones(2, 2).sum().item<float>();
    Check("libtorch loads (GLIBCXX fix through buildTransitive)", probe == 4f, $"torch.ones(2,2).sum() = {probe}");

    var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 4, Frames = 16, Size = 32, Seed = 7, TestFraction = 0.25 })
        .WriteFiles(Path.Combine(root, "videos"));
    var rows = File.ReadLines(files.Manifest).Skip(1).Select(l => l.Split(','))
        .Select(p => new VideoRow { VideoPath = Path.Combine(files.Directory, p[0]), Label = p[1] }).ToArray();
    Check("synthetic videos written (OpenCV decodes them below)", rows.Length == 8 && rows.All(r => File.Exists(r.VideoPath)),
        $"{rows.Length} videos in {files.Directory}");
    var trainRows = rows.Where((_, i) => i % 4 != 3).ToArray();
    var testRows = rows.Where((_, i) => i % 4 == 3).ToArray();

    // Pre-training through ML.NET: the Tiny topology on 4×32² clips, 3 steps at batch 2.
    var ml = new MLContext(seed: 1) { TempFilePath = Directory.CreateDirectory(Path.Combine(root, "mltemp")).FullName };
    var train = ml.Data.LoadFromEnumerable(trainRows);
    var test = ml.Data.LoadFromEnumerable(testRows);
    var options = new ConstClPretrainingOptions
    {
        Model = ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 },
        Training = PretrainingOptions.TinyOfficial with { Steps = 3, BatchSize = 2, WarmupSteps = 1, LogEvery = 1, CheckpointEvery = 3, Threads = 2, Seed = 3 },
        CheckpointDirectory = Path.Combine(root, "run"),
        ClipCount = 2,
        CropCount = 1,
    };
    var pipeline = ml.ConstCl().PretrainVideoEncoder(options)
        .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
        .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"));
    var model = pipeline.Fit(train);
    var encoderTransformer = (ConstClVideoEmbeddingTransformer)model.First();
    Check("pre-train (ML.NET Fit, Tiny, 3 steps)", encoderTransformer.EmbeddingDimension > 0,
        $"embedding dimension {encoderTransformer.EmbeddingDimension}, encoder {encoderTransformer.EncoderHash[..12]}");

    var scored = model.Transform(test);
    var scores = scored.GetColumn<float[]>("Score").ToArray();
    var metrics = ml.MulticlassClassification.Evaluate(scored);
    Check("linear probe evaluates", metrics.MicroAccuracy is >= 0 and <= 1 && double.IsFinite(metrics.LogLoss),
        $"top-1 {metrics.MicroAccuracy:P1} on {testRows.Length} test videos, log-loss {metrics.LogLoss:F3}");

    // Embedding with ConstCl.Core from the saved encoder file.
    var encoderPath = Path.Combine(root, "encoder.constcl");
    encoderTransformer.SaveEncoder(encoderPath);
    using (var encoder = VideoEncoder.Load(encoderPath))
    {
        var embedder = new VideoEmbedder(encoder);
        var embeddings = embedder.EmbedMany(testRows.Select(r => r.VideoPath).ToArray());
        var norms = embeddings.Select(e => Math.Sqrt((e.Vector ?? []).Sum(x => (double)x * x))).ToArray();
        Check("embed (VideoEmbedder over the saved encoder)",
            embeddings.Count == testRows.Length && embeddings.All(e => e.IsValid && e.Vector!.Length == encoder.EmbeddingDimension) && norms.All(n => Math.Abs(n - 1) < 1e-4),
            $"{embeddings.Count} × {encoder.EmbeddingDimension}, L2 norms {string.Join(", ", norms.Select(n => n.ToString("F5")))}");
    }

    // ML.NET save → load in a fresh MLContext → the same scores (TorchSharp in-process vs ONNX Runtime after loading).
    var zip = Path.Combine(root, "probe.zip");
    ml.Model.Save(model, train.Schema, zip);
    var fresh = new MLContext(seed: 2) { TempFilePath = ml.TempFilePath };
    fresh.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
    var loaded = fresh.Model.Load(zip, out _);
    var loadedScores = loaded.Transform(fresh.Data.LoadFromEnumerable(testRows)).GetColumn<float[]>("Score").ToArray();
    var maxDiff = scores.Zip(loadedScores, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).Max();
    Check("ML.NET save/load (ONNX Runtime scores the loaded chain)", loadedScores.Length == scores.Length && maxDiff <= 1e-3,
        $"{new FileInfo(zip).Length / 1024} KiB zip, max |score difference| {maxDiff:E2} over {scores.Length} rows");
    (loaded as IDisposable)?.Dispose();
    (model as IDisposable)?.Dispose();
}
catch (Exception ex)
{
    Check("unexpected exception", false, ex.ToString());
}

Console.WriteLine($"consumer: {(failures == 0 ? "all checks passed" : $"{failures} check(s) failed")} in {(DateTime.UtcNow - started).TotalSeconds:F0} s");
return failures == 0 ? 0 : 1;

static string Version(Type type) =>
    type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "?";

/// <summary>One input row: a video path and its label.</summary>
public sealed class VideoRow
{
    public string VideoPath { get; set; } = "";

    public string Label { get; set; } = "";
}

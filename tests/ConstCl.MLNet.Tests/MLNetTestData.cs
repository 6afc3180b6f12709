using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using Microsoft.ML;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// Shared inputs of the ML.NET tests, made once per test run: tiny synthetic action videos (2 classes × 4, 16 frames
/// of 32²), a corrupt "video", a randomly initialised Tiny-topology encoder file, and a temp folder.
/// </summary>
public sealed class MLNetTestData : IDisposable
{
    /// <summary>Tiny topology on 4×32² clips: fast enough for a CPU test.</summary>
    public static readonly ConstClModelOptions Model = ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 };

    /// <summary>Two SGD steps at batch 2.</summary>
    public static readonly PretrainingOptions Training = PretrainingOptions.Tiny with
    {
        Steps = 2, BatchSize = 2, WarmupSteps = 1, LogEvery = 1, CheckpointEvery = 2, Threads = 2, Seed = 3,
    };

    public MLNetTestData()
    {
        TorchRuntime.Initialize(2);
        Root = Path.Combine(Path.GetTempPath(), "constcl-mlnet-tests", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Root);
        var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 4, Frames = 16, Size = 32, Seed = 7, TestFraction = 0.25 })
            .WriteFiles(Path.Combine(Root, "videos"));
        Videos = File.ReadLines(files.Manifest).Skip(1)
            .Select(l => l.Split(','))
            .Select(p => new VideoRow { VideoPath = Path.Combine(files.Directory, p[0]), Label = p[1] })
            .ToArray();
        CorruptVideo = Path.Combine(Root, "corrupt.avi");
        File.WriteAllBytes(CorruptVideo, Enumerable.Range(0, 4096).Select(i => (byte)(i * 37)).ToArray());

        EncoderPath = Path.Combine(Root, "random.constcl");
        using var model = ConstClModel.Create(Model, 11);
        using var encoder = VideoEncoder.FromModel(model);
        encoder.Save(EncoderPath);
    }

    public string Root { get; }

    public VideoRow[] Videos { get; }

    public string CorruptVideo { get; }

    public string EncoderPath { get; }

    /// <summary>A new temp folder for one test.</summary>
    public string NewFolder()
    {
        var dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>An MLContext whose temporary files (ONNX copies) go to a test folder.</summary>
    public MLContext NewContext() => new(seed: 1) { TempFilePath = NewFolder() };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still mapped by a native library; the next run's folder has another process id.
        }
    }
}

/// <summary>One input row: a video path and its label.</summary>
public sealed class VideoRow
{
    public string VideoPath { get; set; } = "";

    public string Label { get; set; } = "";
}

[CollectionDefinition(Name)]
public sealed class MLNetCollection : ICollectionFixture<MLNetTestData>
{
    public const string Name = "MLNet";
}

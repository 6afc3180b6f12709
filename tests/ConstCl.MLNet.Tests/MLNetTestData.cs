using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using ConstCl.Video;
using Microsoft.ML;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// Shared inputs of the ML.NET tests, made once per test run: tiny synthetic action videos (2 classes × 4, 16 frames
/// of 32²), a corrupt "video", a randomly initialised Tiny-topology encoder file, and a temp folder; on first use,
/// a labelled set of 8 colour-defined classes (<see cref="Colours"/>) for probe tests.
/// </summary>
public sealed class MLNetTestData : IDisposable
{
    /// <summary>Tiny topology on 4×32² clips: fast enough for a CPU test.</summary>
    public static readonly ConstClModelOptions Model = ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 };

    /// <summary>Two SGD steps at batch 2.</summary>
    public static readonly PretrainingOptions Training = PretrainingOptions.TinyOfficial with
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
        _colours = new Lazy<(VideoRow[], VideoRow[])>(() => WriteColourVideos(Path.Combine(Root, "colours"), classes: 8, videosPerClass: 6, testPerClass: 2, seed: 5));
    }

    /// <summary>
    /// Writes videos whose class is the hue of a noisy background (class k: hue k·360°/classes), each with its own
    /// brightness and a small square of random colour moving across it; the last <paramref name="testPerClass"/> videos
    /// of each class are the test split.
    /// </summary>
    internal static (VideoRow[] Train, VideoRow[] Test) WriteColourVideos(string directory, int classes, int videosPerClass, int testPerClass, int seed)
    {
        const int size = 32, frames = 8;
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var train = new List<VideoRow>();
        var test = new List<VideoRow>();
        for (var k = 0; k < classes; k++)
        {
            var (r, g, b) = Hue(360.0 * k / classes);
            for (var v = 0; v < videosPerClass; v++)
            {
                var brightness = 0.6 + 0.4 * random.NextDouble();
                var square = new[] { random.Next(256), random.Next(256), random.Next(256) };
                int x0 = random.Next(size - 8), y0 = random.Next(size - 8), dx = random.Next(-2, 3), dy = random.Next(-2, 3);
                var images = new List<byte[]>();
                for (var t = 0; t < frames; t++)
                {
                    var image = new byte[size * size * 3];
                    int sx = Math.Clamp(x0 + dx * t, 0, size - 8), sy = Math.Clamp(y0 + dy * t, 0, size - 8);
                    for (var y = 0; y < size; y++)
                    {
                        for (var x = 0; x < size; x++)
                        {
                            var inSquare = x >= sx && x < sx + 8 && y >= sy && y < sy + 8;
                            var noise = random.Next(-20, 21);
                            var i = (y * size + x) * 3;
                            image[i] = Pixel(inSquare ? square[0] : 255 * r * brightness, noise);
                            image[i + 1] = Pixel(inSquare ? square[1] : 255 * g * brightness, noise);
                            image[i + 2] = Pixel(inSquare ? square[2] : 255 * b * brightness, noise);
                        }
                    }

                    images.Add(image);
                }

                var path = Path.Combine(directory, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"hue{k}_{v:00}.avi"));
                VideoFileWriter.WriteMjpegAvi(path, new FrameSequence(images, size, size), 25);
                (v >= videosPerClass - testPerClass ? test : train).Add(new VideoRow { VideoPath = path, Label = $"hue{k}" });
            }
        }

        return (train.ToArray(), test.ToArray());

        static byte Pixel(double value, int noise) => (byte)Math.Clamp((int)Math.Round(value) + noise, 0, 255);

        static (double R, double G, double B) Hue(double degrees)
        {
            double Channel(double n)
            {
                var k = (n + degrees / 60) % 6;
                return 1 - Math.Max(0, Math.Min(Math.Min(k, 4 - k), 1));
            }

            return (Channel(5), Channel(3), Channel(1));
        }
    }

    public string Root { get; }

    public VideoRow[] Videos { get; }

    public string CorruptVideo { get; }

    public string EncoderPath { get; }

    private readonly Lazy<(VideoRow[] Train, VideoRow[] Test)> _colours;

    /// <summary>
    /// A labelled set made on first use (<see cref="WriteColourVideos"/>): 8 classes × 6 videos (4 for training, 2 for
    /// testing) of 8 frames at 32², the class given by the background hue, so that the random encoder of
    /// <see cref="EncoderPath"/> separates the classes once its embeddings are standardised.
    /// </summary>
    public (VideoRow[] Train, VideoRow[] Test) Colours => _colours.Value;

    /// <summary>A new temp folder for one test.</summary>
    public string NewFolder()
    {
        var dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>An MLContext whose temporary files (ONNX copies) go to a test folder.</summary>
    public MLContext NewContext() => new(seed: 1) { TempFilePath = NewFolder() };

    /// <summary>
    /// Saves <paramref name="transformer"/> with <c>ml.Model.Save</c> into a new test folder, loads it in a fresh context that
    /// knows the ConST-CL components, runs <paramref name="check"/> with that context and the loaded model, then disposes it.
    /// </summary>
    public void SaveLoadAndCheck(MLContext ml, ITransformer transformer, DataViewSchema schema, Action<MLContext, ITransformer> check)
    {
        var zip = Path.Combine(NewFolder(), "model.zip");
        ml.Model.Save(transformer, schema, zip);
        var fresh = NewContext();
        fresh.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
        var loaded = fresh.Model.Load(zip, out _);
        try
        {
            check(fresh, loaded);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

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

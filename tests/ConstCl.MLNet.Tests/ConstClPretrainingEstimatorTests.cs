using ConstCl.Embedding;
using ConstCl.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// <c>PretrainVideoEncoder</c>: Fit runs pre-training (Tiny topology, 2 steps); workout with save and fresh-process load
/// is in <see cref="EndToEndTests"/> (the same fitted transformer inside a linear-probe pipeline).
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class ConstClPretrainingEstimatorTests
{
    private readonly MLNetTestData _data;

    public ConstClPretrainingEstimatorTests(MLNetTestData data) => _data = data;

    internal static ConstClPretrainingOptions Options(string dir, IProgress<PretrainingProgress>? progress = null) => new()
    {
        Model = MLNetTestData.Model,
        Training = MLNetTestData.Training,
        Seed = 5,
        CheckpointDirectory = dir,
        Progress = progress,
        ClipCount = 2,
        CropCount = 1,
    };

    [Fact]
    public void FitPretrainsWritesTheEncoderReportsProgressAndIgnoresLabels()
    {
        var ml = _data.NewContext();
        var reports = new List<PretrainingProgress>();
        var dir = _data.NewFolder();
        var withLabels = ml.Data.LoadFromEnumerable(_data.Videos);
        var estimator = ml.ConstCl().PretrainVideoEncoder(Options(dir, new SynchronousProgress(reports.Add)));
        var shape = estimator.GetOutputSchema(Shapes.Of<VideoPathRow>());
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, Shapes.Find(shape, "Embedding").Kind);

        using var transformer = estimator.Fit(withLabels);
        Assert.Equal(MLNetTestData.Model.Backbone.OutputChannels, transformer.EmbeddingDimension);
        Assert.Equal(new[] { 1, 2 }, reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.True(double.IsFinite(r.TotalLoss) && r.GlobalLoss > 0, $"loss {r.TotalLoss}"));
        var encoderPath = Path.Combine(dir, ConstClPretrainingEstimator.EncoderFileName);
        using (var written = VideoEncoder.Load(encoderPath))
        {
            Assert.Equal(transformer.EncoderHash, written.Hash);
        }

        // Pre-training changed the weights: the embedding differs from the same topology's random init (seed 5).
        using var untrained = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, ClipCount = 2, CropCount = 1 }).Fit(withLabels);
        Assert.NotEqual(untrained.EncoderHash, transformer.EncoderHash);

        // Labels are ignored: the same seed on the paths alone trains the same encoder.
        var pathsOnly = ml.Data.LoadFromEnumerable(_data.Videos.Select(v => new { v.VideoPath }));
        using var again = ml.ConstCl().PretrainVideoEncoder(Options(_data.NewFolder())).Fit(pathsOnly);
        var a = Assertions.Embeddings(transformer.Transform(withLabels));
        var b = Assertions.Embeddings(again.Transform(pathsOnly));
        Assertions.Close(a, b, 1e-5f);

        // The run folder now holds checkpoints: a new run there is refused, a resumed one continues from step 2 (of 2),
        // trains nothing more and returns the same encoder.
        var refused = Assert.ThrowsAny<InvalidOperationException>(() => ml.ConstCl().PretrainVideoEncoder(Options(dir)).Fit(withLabels));
        Assert.Contains("already holds checkpoints", refused.Message);
        var resume = Options(dir);
        resume.Resume = true;
        using var resumed = ml.ConstCl().PretrainVideoEncoder(resume).Fit(withLabels);
        Assert.Equal(transformer.EncoderHash, resumed.EncoderHash);
    }

    [Fact]
    public void BadSchemasAndBadOptionsThrowUpFront()
    {
        var ml = _data.NewContext();
        var estimator = ml.ConstCl().PretrainVideoEncoder(Options(_data.NewFolder()));
        var e1 = Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(Shapes.Of<PathRow>()));
        Assert.Contains("'VideoPath'", e1.Message);
        var e2 = Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(new[] { new NumericVideoPathRow() })));
        Assert.Contains("expected String", e2.Message);

        var badTraining = Options(_data.NewFolder());
        badTraining.Training = MLNetTestData.Training with { BatchSize = 0 };
        Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().PretrainVideoEncoder(badTraining));
        var badClips = Options(_data.NewFolder());
        badClips.ClipCount = 0;
        var e3 = Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().PretrainVideoEncoder(badClips));
        Assert.Contains("ClipCount", e3.Message);

        var blankCache = Options(_data.NewFolder());
        blankCache.FrameCacheDirectory = " ";
        var e4 = Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().PretrainVideoEncoder(blankCache));
        Assert.Contains("FrameCacheDirectory must name a folder", e4.Message);
        var fileCache = Options(_data.NewFolder());
        fileCache.FrameCacheDirectory = Path.Combine(_data.NewFolder(), "cache.bin");
        File.WriteAllText(fileCache.FrameCacheDirectory, "not a folder");
        var e5 = Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().PretrainVideoEncoder(fileCache));
        Assert.Contains("is a file; give a folder", e5.Message);
        Assert.Contains("cache.bin", e5.Message);
    }

    [Fact]
    public void CancellationStopsFit()
    {
        var ml = _data.NewContext();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var options = Options(_data.NewFolder());
        options.CancellationToken = cancel.Token;
        Assert.ThrowsAny<OperationCanceledException>(() => ml.ConstCl().PretrainVideoEncoder(options).Fit(ml.Data.LoadFromEnumerable(_data.Videos)));
        Assert.False(File.Exists(Path.Combine(options.CheckpointDirectory!, ConstClPretrainingEstimator.EncoderFileName)));
    }

    /// <summary>
    /// A run without CheckpointDirectory: every logged step reaches <c>MLContext.Log</c> as one Info line with step/total,
    /// the diagnostics line and the ETA; the trainer's own events come through too, and the end has the final
    /// diagnostics; the temporary run folder (under <c>MLContext.TempFilePath</c>) is gone after Fit, while the returned
    /// transformer still embeds and saves (the encoder is in memory).
    /// </summary>
    [Fact]
    public void FitLogsStepsDiagnosticsAndEtaToMLContextLogAndLeavesNoTemporaryFolder()
    {
        var ml = _data.NewContext();
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => { lock (messages) { messages.Add(e); } };
        var reports = new List<PretrainingProgress>();
        var options = Options(null!, new SynchronousProgress(reports.Add));
        options.CheckpointDirectory = null;
        var data = ml.Data.LoadFromEnumerable(_data.Videos);

        using var transformer = ml.ConstCl().PretrainVideoEncoder(options).Fit(data);

        var ours = messages.Where(m => m.Source.StartsWith(nameof(ConstClPretrainingEstimator), StringComparison.Ordinal)).ToList();
        var info = ours.Where(m => m.Kind == ChannelMessageKind.Info).Select(m => m.RawMessage).ToList();
        Assert.Equal(new[] { 1, 2 }, reports.Select(r => r.Step));
        foreach (var report in reports)
        {
            var line = Assert.Single(info, l => l.StartsWith($"step {report.Step}/2 ", StringComparison.Ordinal));
            Assert.NotNull(report.Diagnostics);
            Assert.Contains(report.Diagnostics.ToString(), line);
            Assert.Matches(@"\| ETA \d\d:\d\d:\d\d", line);
            Assert.Contains("clips/s", line);
            Assert.Contains(PretrainingLog.FormatProgress(report), info);
        }

        Assert.Contains(info, l => l.StartsWith("Checkpoint written:", StringComparison.Ordinal));      // Pretrainer.Log
        Assert.Contains($"Final diagnostics: {reports[^1].Diagnostics}", info);
        Assert.All(ours.Where(m => m.RawMessage.StartsWith(PretrainingLog.WarningPrefix, StringComparison.Ordinal)), m => Assert.Equal(ChannelMessageKind.Warning, m.Kind));

        var temporaryRoot = Path.Combine(ml.TempFilePath, ConstClPretrainingEstimator.TemporaryFolderName);
        Assert.True(Directory.Exists(temporaryRoot), "the run folder was made under MLContext.TempFilePath");
        Assert.Empty(Directory.EnumerateFileSystemEntries(temporaryRoot));
        Assert.Equal(_data.Videos.Length, Assertions.Embeddings(transformer.Transform(data)).Length);
        ml.Model.Save(transformer, data.Schema, Path.Combine(_data.NewFolder(), "after-delete.zip"));
    }

    [Fact]
    public void PretrainingLogSendsTrainerWarningsAndTheFinalSummaryAsWarnings()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => { lock (messages) { messages.Add(e); } };
        var forwarded = new List<PretrainingProgress>();
        var diagnostics = new RepresentationDiagnostics(0.99, 0.5, 0.1, 1.5, 0.2, -0.1, 0.97, 1.2);
        var progress = new PretrainingProgress(3, 10, 0.5, 5.1, 2.2, 0, 5.12, 1e-3, 40, 0.1, TimeSpan.FromSeconds(75), 0) { Diagnostics = diagnostics };
        using (var channel = ((IChannelProvider)ml).Start("test"))
        {
            var log = new PretrainingLog(channel, new SynchronousProgress(forwarded.Add));
            log.Report(progress);
            log.Event("Checkpoint written: 'x'.");
            log.Event("Warning: the embeddings have collapsed since step 2");
            log.Finished(
                new PretrainingResult(10, 10, false, progress, null, [], [], 0, "e", "c", "m", "t") { Warnings = ["the global loss has stayed at its chance value"] },
                [new ConstCl.Video.SkipRecord("bad.avi", ConstCl.Video.VideoErrorKind.Unreadable, "no frames", DateTime.UtcNow)]);
        }

        Assert.Same(progress, Assert.Single(forwarded));
        var ours = messages.Where(m => m.Kind is ChannelMessageKind.Info or ChannelMessageKind.Warning).Select(m => (m.Kind, m.RawMessage)).ToList();
        Assert.Contains((ChannelMessageKind.Info,
            $"step 3/10 (30.0%) | loss 5.1200 (global 5.1000, local 2.2000) | lr 0.001 | {diagnostics} | 40.0 clips/s, data wait 10% | ETA 00:01:15"), ours);
        Assert.Contains((ChannelMessageKind.Info, "Checkpoint written: 'x'."), ours);
        Assert.Contains((ChannelMessageKind.Warning, "Warning: the embeddings have collapsed since step 2"), ours);
        Assert.Contains((ChannelMessageKind.Info, $"Final diagnostics: {diagnostics}"), ours);
        Assert.Contains((ChannelMessageKind.Warning, "Warning: the global loss has stayed at its chance value"), ours);
        Assert.Contains(ours, m => m.Kind == ChannelMessageKind.Warning && m.RawMessage.Contains("bad.avi", StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultTrainingIsTheSmallPresetAndTheSeedFollowsTheContext()
    {
        Assert.Equal(PretrainingOptions.Small.ToJson(), new ConstClPretrainingOptions().Training.ToJson());
        var simple = new MLContext(seed: 1).ConstCl().PretrainVideoEncoder();
        Assert.Equal(PretrainingOptions.Small with { Seed = simple.Training.Seed }, simple.Training);

        // No Seed and the default training seed: drawn from the context, so the same context seed gives the same run.
        long SeedOf(MLContext context, ConstClPretrainingOptions? options = null) =>
            context.ConstCl().PretrainVideoEncoder(options ?? new ConstClPretrainingOptions()).Training.Seed;
        Assert.Equal(SeedOf(ml(1)), SeedOf(ml(1)));
        Assert.NotEqual(SeedOf(ml(1)), SeedOf(ml(2)));
        Assert.Equal(5, SeedOf(ml(1), new ConstClPretrainingOptions { Seed = 5 }));
        Assert.Equal(7, SeedOf(ml(1), new ConstClPretrainingOptions { Training = PretrainingOptions.Small with { Seed = 7 } }));
        Assert.Equal(9, SeedOf(ml(1), new ConstClPretrainingOptions { Seed = 9, Training = PretrainingOptions.Small with { Seed = 7 } }));

        static MLContext ml(int seed) => new(seed);
    }

    [Fact]
    public void AFrameCacheIsFilledAndTrainsTheSameEncoder()
    {
        var ml = _data.NewContext();
        var data = ml.Data.LoadFromEnumerable(_data.Videos);
        var cache = Path.Combine(_data.NewFolder(), "frames");
        var cached = Options(_data.NewFolder());
        cached.FrameCacheDirectory = cache;
        using var decoding = ml.ConstCl().PretrainVideoEncoder(Options(_data.NewFolder())).Fit(data);
        using var fromCache = ml.ConstCl().PretrainVideoEncoder(cached).Fit(data);

        Assert.NotEmpty(Directory.GetFiles(cache, "*.frames"));
        Assertions.Close(Assertions.Embeddings(decoding.Transform(data)), Assertions.Embeddings(fromCache.Transform(data)), 1e-5f);
        Assert.Equal(Path.GetFullPath(cache), PretrainingRunner.LoaderOptionsFor(MLNetTestData.Training, _data.NewFolder(), cache).CacheDirectory);
    }

    [Fact]
    public void TheLoaderHonoursThePresetsViewGapAndAugmentation()
    {
        var training = PretrainingOptions.Small with { Seed = 4 };
        var dir = _data.NewFolder();
        var loader = PretrainingRunner.LoaderOptionsFor(training, dir);
        Assert.Equal(8, training.MinimumViewGap);
        Assert.Equal(training.MinimumViewGap, loader.MinimumViewGap);
        Assert.Equal(training.Augmentation, loader.Augmentation);
        Assert.Equal((training.Model.InputFrames, training.Model.InputSize, training.BatchSize, 4), (loader.Frames, loader.Size, loader.BatchSize, loader.Seed));
        Assert.Equal(Path.Combine(dir, PretrainingRunner.SkipReportFileName), loader.SkipReportPath);
        Assert.Null(loader.CacheDirectory);
    }

    private sealed class SynchronousProgress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }
}

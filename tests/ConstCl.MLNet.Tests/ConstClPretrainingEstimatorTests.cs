using ConstCl.Embedding;
using ConstCl.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

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
        Clips = 2,
        Crops = 1,
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
        using var untrained = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, Clips = 2, Crops = 1 }).Fit(withLabels);
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
        badClips.Clips = 0;
        var e3 = Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().PretrainVideoEncoder(badClips));
        Assert.Contains("Clips", e3.Message);
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

    private sealed class SynchronousProgress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }
}

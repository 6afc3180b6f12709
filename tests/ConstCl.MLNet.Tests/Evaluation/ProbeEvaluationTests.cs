using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.MLNet.Tests.Evaluation;

/// <summary>
/// The probe runner <c>constcl probe</c> calls: embeddings once per listed video (cached on the second run, a broken video
/// recorded, not fatal), per-split numbers equal to the probe fitted on directly computed embeddings, and the card.
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class ProbeEvaluationTests
{
    private static readonly EvaluationClipSpec Spec = new() { ClipCount = 1, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 };
    private readonly MLNetTestData _data;

    public ProbeEvaluationTests(MLNetTestData data) => _data = data;

    [Fact]
    public void EmbedsOnceFromTheCacheOnRerunAndEvaluatesLikeTheProbeOnDirectEmbeddings()
    {
        var folder = _data.NewFolder();
        string Manifest(string name, IEnumerable<VideoRow> rows)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllLines(path, new[] { "path,label" }.Concat(rows.Select(r => $"{r.VideoPath},{r.Label}")));
            return path;
        }

        var (trainRows, testRows) = _data.Colours;
        var train = VideoManifest.Read(Manifest("train.csv", trainRows));
        var test = VideoManifest.Read(Manifest("test.csv", testRows.Append(new VideoRow { VideoPath = _data.CorruptVideo, Label = testRows[0].Label })), train.ClassNames);
        var split = new ProbeSplit("manifests", null, "train.csv → test.csv", train, test);

        using var encoder = VideoEncoder.Load(_data.EncoderPath);
        var evaluation = new ProbeEvaluation(encoder, new EmbeddingOptions { Clips = Spec, BatchSize = 4 }, new LinearProbeOptions { Seed = 0 });
        var cache = new EmbeddingCache(Path.Combine(folder, "cache"), evaluation.Embedder);
        var log = new List<string>();
        var first = evaluation.Embed([split], cache, log.Add);
        Assert.Equal(trainRows.Length + testRows.Length, first.Vectors.Count);
        Assert.Equal(_data.CorruptVideo, Assert.Single(first.Failures).Key);
        Assert.Equal(0, first.Cached);
        Assert.Contains(log, l => l.Contains("0 from cache", StringComparison.Ordinal));

        var second = evaluation.Embed([split], cache);
        Assert.Equal(first.Vectors.Count, second.Cached);                    // only the broken video is tried again
        Assert.All(first.Vectors, kv => Assert.Equal(kv.Value, second.Vectors[kv.Key]));

        var result = evaluation.Evaluate(split, second);
        var direct = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec });
        LabeledEmbedding Direct(VideoEntry e) => new(e.ClassIndex!.Value, direct.Embed(e.Path));
        var expected = new LinearProbe(new LinearProbeOptions { Seed = 0 }).Evaluate(
            train.Entries.Select(Direct).ToList(), test.Entries.Where(e => e.Path != _data.CorruptVideo).Select(Direct).ToList(), train.ClassNames);
        Assert.Equal((expected.Top1, expected.Top5, expected.TrainCount, expected.TestCount), (result.Result.Top1, result.Result.Top5, result.Result.TrainCount, result.Result.TestCount));
        Assert.Equal(testRows.Length, result.Neighbours.Length);
        Assert.Contains(1, result.Recall.Keys);

        var card = evaluation.Card(result, second, "encoder", seed: 0, wallSeconds: 1);
        Assert.Equal((encoder.Hash, "LbfgsMaximumEntropy", 1, trainRows.Length, testRows.Length, first.Vectors.Count), (card.EncoderHash, card.Method, card.SkippedVideos, card.TrainVideos, card.TestVideos, card.CachedVideos));
        Assert.Equal((Spec.ClipCount, Spec.CropCount, Spec.FramesPerClip, Spec.Size), (card.ClipCount, card.CropCount, card.FramesPerClip, card.Size));

        var knn = new ProbeEvaluation(encoder, new EmbeddingOptions { Clips = Spec }, knn: new KnnClassifier(3));
        Assert.Equal("kNN (k = 3, Majority)", knn.Method);
        var empty = new ProbeSplit("manifests", null, "x", train, VideoManifest.Read(Manifest("none.csv", [new VideoRow { VideoPath = _data.CorruptVideo, Label = testRows[0].Label }]), train.ClassNames));
        Assert.Contains("nothing to evaluate", Assert.Throws<InvalidOperationException>(() => knn.Evaluate(empty, knn.Embed([empty]))).Message, StringComparison.Ordinal);
    }
}

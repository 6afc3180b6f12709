using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Export;
using ConstCl.Core.Tests.Export;

namespace ConstCl.Core.Tests.Embedding;

/// <summary>The embedder's vector is the mean of per-clip pooled features, L2-normalised; batching and prefetch change nothing; failures are named.</summary>
public sealed class VideoEmbedderTests : IDisposable
{
    private static readonly EvaluationClipSpec Spec = new() { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-embedder-" + Guid.NewGuid().ToString("N"));
    private readonly string[] _videos;

    public VideoEmbedderTests()
    {
        var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 2, Frames = 6, Size = 32, Seed = 3 }).WriteFiles(_dir);
        _videos = Directory.GetFiles(files.Directory, "*.avi", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Brute force: encode each clip alone, average the raw features in double, normalise.</summary>
    private static float[] Manual(VideoEncoder encoder, string path)
    {
        var prepared = EvaluationClips.PrepareWithIndices(path, Spec);
        int views = (int)prepared.Shape[0];
        long viewLength = prepared.Data.Length / views;
        var mean = new double[encoder.EmbeddingDimension];
        for (int v = 0; v < views; v++)
        {
            var one = prepared.Data.AsSpan((int)(v * viewLength), (int)viewLength).ToArray();
            var features = encoder.Encode(one, [1, 3, 4, 32, 32]);
            for (int d = 0; d < mean.Length; d++)
            {
                mean[d] += features[d] / views;
            }
        }

        double norm = Math.Sqrt(mean.Sum(x => x * x));
        return mean.Select(x => (float)(x / norm)).ToArray();
    }

    [Fact]
    public void Embeddings_equal_mean_of_clip_features_normalised_across_batch_sizes_and_match_onnx_flat_graph()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 6);
        using var encoder = VideoEncoder.FromModel(model);
        var reports = new List<EmbeddingProgress>();
        var batched = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec, BatchSize = 3, PrefetchVideos = 2 })
            .EmbedMany(_videos, new SynchronousProgress(reports));
        var single = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec, BatchSize = 1, PrefetchVideos = 0 }).EmbedMany(_videos);
        var flat = encoder.ExportOnnx(new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips });

        Assert.Equal(_videos.Length, batched.Count);
        Assert.Equal(_videos.Length, reports.Count);
        Assert.Equal(new EmbeddingProgress(_videos.Length, _videos.Length, 0, 2L * _videos.Length), reports[^1]);
        for (int i = 0; i < _videos.Length; i++)
        {
            Assert.Equal(_videos[i], batched[i].Path);
            var expected = Manual(encoder, _videos[i]);
            Assert.True(EmbeddingTestModels.MaxAbsDiff(expected, batched[i].Vector!) <= 1e-5);
            Assert.True(EmbeddingTestModels.MaxAbsDiff(expected, single[i].Vector!) <= 1e-5);
            Assert.Equal(1.0, Math.Sqrt(batched[i].Vector!.Sum(x => (double)x * x)), 5);
            Assert.Equal(new[] { 0, 1, 2, 3 }, batched[i].ClipFrameIndices![0]);
            Assert.Equal(new[] { 2, 3, 4, 5 }, batched[i].ClipFrameIndices![1]);

            var (data, shape) = EvaluationClips.Prepare(_videos[i], Spec);
            var (onnx, _) = OnnxParity.Run(flat, new OnnxParity.Input("clips", [1, data.Length], data), new OnnxParity.Input("clip_shape", [5], Longs: shape));
            Assert.True(EmbeddingTestModels.MaxAbsDiff(expected, onnx) <= 1e-4);
        }

        Assert.True(EmbeddingTestModels.MaxAbsDiff(batched[0].Vector!, batched[2].Vector!) > 1e-4);    // different videos, different vectors
    }

    [Fact]
    public void Corrupt_video_throws_naming_it_or_is_marked_invalid()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 7);
        using var encoder = VideoEncoder.FromModel(model);
        var bad = Path.Combine(_dir, "broken.avi");
        File.WriteAllBytes(bad, [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 5, 6, 7, 8]);
        var paths = new[] { _videos[0], bad, _videos[1] };

        var thrower = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec });
        var ex = Assert.Throws<VideoEmbeddingException>(() => thrower.EmbedMany(paths));
        Assert.Equal(bad, ex.Path);
        Assert.Contains("broken.avi", ex.Message, StringComparison.Ordinal);
        Assert.Throws<VideoEmbeddingException>(() => thrower.Embed(bad));

        var marker = new VideoEmbedder(encoder, new EmbeddingOptions { Clips = Spec, OnFailure = EmbeddingFailurePolicy.Mark, BatchSize = 8 });
        var results = marker.EmbedMany(paths);
        Assert.Equal(paths, results.Select(r => r.Path));
        Assert.False(results[1].IsValid);
        Assert.NotNull(results[1].Error);
        Assert.True(results[0].IsValid && results[2].IsValid);
        Assert.True(EmbeddingTestModels.MaxAbsDiff(Manual(encoder, _videos[1]), results[2].Vector!) <= 1e-5);
    }

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SynchronousProgress(List<EmbeddingProgress> reports) : IProgress<EmbeddingProgress>
    {
        public void Report(EmbeddingProgress value) => reports.Add(value);
    }
}

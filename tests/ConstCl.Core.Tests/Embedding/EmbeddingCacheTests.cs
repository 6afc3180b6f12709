using ConstCl.Embedding;

namespace ConstCl.Core.Tests.Embedding;

/// <summary>The on-disk embedding cache (moved from the CLI's probe command): keys, damage, staleness.</summary>
public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-cache-" + Guid.NewGuid().ToString("N"));

    public EmbeddingCacheTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Cache_entries_round_trip_and_damaged_or_foreign_entries_read_as_misses()
    {
        string video = Path.Combine(_root, "v.avi");
        File.WriteAllText(video, "bytes");
        var cache = new EmbeddingCache(Path.Combine(_root, "c"), new string('a', 64), "clips=1");
        Assert.Null(cache.TryGet(video));
        Assert.Null(cache.Put(video, [1f, -2.5f, 3f]));
        Assert.Equal([1f, -2.5f, 3f], cache.TryGet(video)!);
        Assert.Null(new EmbeddingCache(Path.Combine(_root, "c"), new string('a', 64), "clips=2").TryGet(video));   // another protocol
        Assert.True(cache.TryKey(video, out string key));
        var bytes = EmbeddingCache.Encode([1f, 2f], key);
        Assert.Equal([1f, 2f], EmbeddingCache.Decode(bytes, key)!);
        Assert.Null(EmbeddingCache.Decode(bytes, key + "x"));
        Assert.Null(EmbeddingCache.Decode(bytes[..^1], key));
        bytes[20] ^= 1;
        Assert.Null(EmbeddingCache.Decode(bytes, key));
        File.SetLastWriteTimeUtc(video, DateTime.UtcNow.AddMinutes(5));               // a changed video is a new key
        Assert.Null(cache.TryGet(video));
    }

    [Fact]
    public void An_embedders_cache_is_keyed_by_its_encoder_protocol_and_branch_as_the_probe_always_was()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 6);
        using var encoder = VideoEncoder.FromModel(model);
        var spec = new EvaluationClipSpec { ClipCount = 2, CropCount = 1, FramesPerClip = 4, FrameStride = 1, Size = 32 };
        var cache = new EmbeddingCache(_root, new VideoEmbedder(encoder, new EmbeddingOptions { Clips = spec }));
        var legacy = new EmbeddingCache(_root, encoder.Hash, $"{spec.ToSpecString()};branch={encoder.Branch}");
        Assert.Equal(legacy.Directory, cache.Directory);   // entries written by earlier versions are still found
    }
}

using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>
/// Embeds a small batch of videos for the transformer: their clips are decoded in parallel, then go through the
/// network in one forward pass. Keeps nothing between calls; the only embeddings it remembers are the raw ones
/// computed by <c>Fit</c> (passed in, reused instead of decoding those videos again). Thread-safe: the forward pass
/// is serialised (several cursors or prediction engines may share one transformer).
/// </summary>
internal sealed class VideoEmbedder
{
    private readonly VideoEncoderAdapter _encoder;
    private readonly SavedClipSpec _spec;
    private readonly EmbeddingStandardization? _standardization;
    private readonly IReadOnlyDictionary<string, float[]>? _known;
    private readonly object _forward = new();

    /// <param name="encoder">The frozen encoder.</param>
    /// <param name="spec">Clip spec and base folder.</param>
    /// <param name="standardization">Applied to every embedding; null keeps the L2-normalised vectors.</param>
    /// <param name="known">Raw (L2-normalised) embeddings by path, already computed; null when none.</param>
    public VideoEmbedder(VideoEncoderAdapter encoder, SavedClipSpec spec, EmbeddingStandardization? standardization = null, IReadOnlyDictionary<string, float[]>? known = null)
    {
        _encoder = encoder;
        _spec = spec;
        _standardization = standardization;
        _known = known;
    }

    /// <summary>D, the size of an embedding.</summary>
    public int Dimension => _encoder.Dimension;

    /// <summary>One video's result: its embedding (length D), or null and the reason it could not be decoded.</summary>
    public sealed record Entry(float[]? Embedding, Exception? Error)
    {
        /// <summary>The embedding, or ConstCl's error naming <paramref name="path"/> (a <see cref="VideoEmbeddingException"/>).</summary>
        public float[] EmbeddingOrThrow(string path) => Embedding ?? throw new VideoEmbeddingException(path, Error!);
    }

    /// <summary>The entries of <paramref name="paths"/>, in their order (a path given twice is embedded once).</summary>
    public Entry[] Embed(IReadOnlyList<string> paths)
    {
        var result = new Entry[paths.Count];
        var todo = new List<string>();
        for (var i = 0; i < paths.Count; i++)
        {
            if (_known is not null && _known.TryGetValue(paths[i], out var raw))
            {
                result[i] = Output(raw);
            }
            else if (!todo.Contains(paths[i], StringComparer.Ordinal))
            {
                todo.Add(paths[i]);
            }
        }

        var decoded = Decode(todo);
        var ok = decoded.Where(d => d.Clips is not null).ToList();
        float[][] embeddings;
        lock (_forward)
        {
            embeddings = _encoder.Embed(ok.Select(d => d.Clips!.Value).ToList());
        }

        var byPath = new Dictionary<string, Entry>(StringComparer.Ordinal);
        for (var i = 0; i < ok.Count; i++)
        {
            byPath[ok[i].Path] = Output(embeddings[i]);
        }

        foreach (var failed in decoded.Where(d => d.Clips is null))
        {
            byPath[failed.Path] = new Entry(null, failed.Error);
        }

        for (var i = 0; i < paths.Count; i++)
        {
            result[i] ??= byPath[paths[i]];
        }

        return result;
    }

    /// <summary>Embeds <paramref name="paths"/> in batches of <paramref name="batchSize"/>, in order.</summary>
    public Entry[] EmbedAll(IReadOnlyList<string> paths, int batchSize) =>
        paths.Chunk(batchSize).SelectMany(batch => Embed(batch)).ToArray();

    private Entry Output(float[] raw) => new(_standardization is null ? raw : _standardization.Apply(raw), null);

    private (string Path, (float[] Data, long[] Shape)? Clips, Exception? Error)[] Decode(List<string> paths)
    {
        var result = new (string, (float[], long[])?, Exception?)[paths.Count];
        Parallel.For(0, paths.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(paths.Count, Environment.ProcessorCount)) }, i =>
        {
            try
            {
                result[i] = (paths[i], EvaluationClipPreparer.Prepare(paths[i], _spec), null);
            }
            catch (Exception ex) when (ex is VideoDecodeException or IOException or ArgumentException)
            {
                result[i] = (paths[i], null, ex);
            }
        });
        return result;
    }
}

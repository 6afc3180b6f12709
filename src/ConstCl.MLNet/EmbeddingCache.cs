using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>
/// Embeddings of the videos of one transformed data view, computed in batches on first use and kept by path (so any
/// cursor, shuffled or not, reads them). Decoding of the next batch runs on worker threads while the current batch
/// goes through the network (decode prefetching); the network itself runs on the calling thread. Entries hold the
/// output embedding: the L2-normalised vector, standardised when a standardisation is given. Raw embeddings already
/// computed by <c>Fit</c> are reused instead of decoding those videos again.
/// </summary>
internal sealed class EmbeddingCache
{
    private readonly VideoEncoderAdapter _encoder;
    private readonly TransformerSettings _settings;
    private readonly EmbeddingStandardization? _standardization;
    private readonly IReadOnlyDictionary<string, float[]>? _known;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <param name="encoder">The frozen encoder.</param>
    /// <param name="settings">Clip spec and batch size.</param>
    /// <param name="standardization">Applied to every embedding; null keeps the L2-normalised vectors.</param>
    /// <param name="known">Raw (L2-normalised) embeddings by path, already computed; null when none.</param>
    public EmbeddingCache(VideoEncoderAdapter encoder, TransformerSettings settings, EmbeddingStandardization? standardization = null, IReadOnlyDictionary<string, float[]>? known = null)
    {
        _encoder = encoder;
        _settings = settings;
        _standardization = standardization;
        _known = known;
    }

    /// <summary>One video's result: its embedding, or null and the reason it could not be decoded.</summary>
    public sealed record Entry(float[]? Embedding, Exception? Error);

    /// <summary>Computes (batched) and returns the entries of <paramref name="paths"/>, in their order.</summary>
    public IReadOnlyList<Entry> GetAll(IReadOnlyList<string> paths)
    {
        lock (_gate)
        {
            Fill(paths.Where(p => !_entries.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList());
            return paths.Select(p => _entries[p]).ToList();
        }
    }

    /// <summary>Computes every path not yet cached (batched), then returns the entry of <paramref name="path"/>.</summary>
    public Entry Get(string path, Func<IEnumerable<string>> allPaths)
    {
        lock (_gate)
        {
            if (!_entries.ContainsKey(path))
            {
                Fill(allPaths().Append(path).Where(p => !_entries.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList());
            }

            return _entries[path];
        }
    }

    private void Fill(List<string> paths)
    {
        if (_known is { } known)
        {
            foreach (var path in paths.Where(known.ContainsKey))
            {
                _entries[path] = Output(known[path]);
            }

            paths = paths.Where(p => !known.ContainsKey(p)).ToList();
        }

        var batches = paths.Chunk(_settings.BatchSize).ToList();
        if (batches.Count == 0)
        {
            return;
        }

        var next = Task.Run(() => Decode(batches[0]));
        for (var b = 0; b < batches.Count; b++)
        {
            var decoded = next.GetAwaiter().GetResult();
            if (b + 1 < batches.Count)
            {
                var following = batches[b + 1];
                next = Task.Run(() => Decode(following));
            }

            var ok = decoded.Where(d => d.Clips is not null).ToList();
            var embeddings = _encoder.Embed(ok.Select(d => d.Clips!.Value).ToList());
            for (var i = 0; i < ok.Count; i++)
            {
                _entries[ok[i].Path] = Output(embeddings[i]);
            }

            foreach (var failed in decoded.Where(d => d.Clips is null))
            {
                _entries[failed.Path] = new Entry(null, failed.Error);
            }
        }
    }

    private Entry Output(float[] raw) => new(_standardization is null ? raw : _standardization.Apply(raw), null);

    private (string Path, (float[] Data, long[] Shape)? Clips, Exception? Error)[] Decode(string[] paths)
    {
        var result = new (string, (float[], long[])?, Exception?)[paths.Length];
        Parallel.For(0, paths.Length, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Math.Min(paths.Length, Environment.ProcessorCount)) }, i =>
        {
            try
            {
                result[i] = (paths[i], EvaluationClipPreparer.Prepare(paths[i], _settings.Spec), null);
            }
            catch (Exception ex) when (ex is VideoDecodeException or IOException or ArgumentException)
            {
                result[i] = (paths[i], null, ex);
            }
        });
        return result;
    }
}

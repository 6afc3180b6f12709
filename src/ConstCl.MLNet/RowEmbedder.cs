using System.Runtime.ExceptionServices;
using ConstCl.Embedding;
using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>
/// The transformer's view of Core's embedding engine (<see cref="ConstCl.Embedding.VideoEmbedder"/>): embeds the videos of
/// a few rows (paths resolved against the base folder), remembers nothing between calls except the raw embeddings
/// computed by <c>Fit</c> (passed in, reused instead of decoding those videos again), and applies the fitted
/// standardisation. Thread-safe: runs are serialised (several cursors or prediction engines may share one transformer).
/// </summary>
internal sealed class RowEmbedder
{
    private readonly VideoEncoder _encoder;
    private readonly SavedClipSpec _spec;
    private readonly EmbeddingStandardization? _standardization;
    private readonly IReadOnlyDictionary<string, float[]>? _known;
    private readonly int _batchSize;
    private readonly object _forward = new();

    /// <param name="encoder">The frozen encoder (not owned).</param>
    /// <param name="spec">Clip spec and base folder.</param>
    /// <param name="batchSize">Clips (views) per forward pass.</param>
    /// <param name="standardization">Applied to every embedding; null keeps the L2-normalised vectors.</param>
    /// <param name="known">Raw (L2-normalised) embeddings by path, already computed; null when none.</param>
    public RowEmbedder(VideoEncoder encoder, SavedClipSpec spec, int batchSize, EmbeddingStandardization? standardization = null, IReadOnlyDictionary<string, float[]>? known = null)
    {
        _encoder = encoder;
        _spec = spec;
        _batchSize = batchSize;
        _standardization = standardization;
        _known = known;
    }

    /// <summary>D, the size of an embedding.</summary>
    public int Dimension => _encoder.EmbeddingDimension;

    /// <summary>One video's result: its embedding (length D), or null and the reason it could not be decoded.</summary>
    public sealed record Entry(float[]? Embedding, Exception? Error)
    {
        /// <summary>The embedding, or ConstCl's error naming <paramref name="path"/> (a <see cref="VideoEmbeddingException"/>).</summary>
        public float[] EmbeddingOrThrow(string path) => Embedding ?? throw new VideoEmbeddingException(path, Error!);
    }

    /// <summary>The entries of <paramref name="paths"/>, in their order (a path given twice is embedded once), in one run of Core's engine.</summary>
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

        var byPath = new Dictionary<string, Entry>(StringComparer.Ordinal);
        if (todo.Count > 0)
        {
            IReadOnlyList<VideoEmbedding> embedded;
            lock (_forward)
            {
                var options = new EmbeddingOptions
                {
                    Clips = _spec.Clips,
                    BatchSize = _batchSize,                              // clips per forward pass; the videos of a call share passes
                    PrefetchVideos = todo.Count > 1 ? 2 : 0,             // one row: decode on this thread
                    OnFailure = EmbeddingFailurePolicy.Mark,
                };
                embedded = new ConstCl.Embedding.VideoEmbedder(_encoder, options).EmbedMany(todo.Select(_spec.Resolve).ToList());
            }

            for (var i = 0; i < todo.Count; i++)
            {
                var e = embedded[i];
                if (e.Exception is { } error && error is not (VideoDecodeException or IOException or ArgumentException))
                {
                    ExceptionDispatchInfo.Throw(error);   // not a bad video (the network failed, memory ran out): never a skipped row
                }

                byPath[todo[i]] = e.Vector is { } vector
                    ? Output(vector)
                    : new Entry(null, e.Exception ?? new InvalidOperationException(e.Error));
            }
        }

        for (var i = 0; i < paths.Count; i++)
        {
            result[i] ??= byPath[paths[i]];
        }

        return result;
    }

    private Entry Output(float[] raw) => new(_standardization is null ? raw : _standardization.Apply(raw), null);
}

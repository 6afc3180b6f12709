using ConstCl.Embedding;
namespace ConstCl.MLNet;

/// <summary>
/// Fits the per-dimension standardisation of both estimators: embeds the videos given to <c>Fit</c> exactly as the
/// transformer does (same clips, same batched encoder) and measures the L2-normalised embeddings.
/// </summary>
internal static class StandardizationFitter
{
    /// <summary>
    /// Embeds <paramref name="paths"/> (each distinct video once) and returns the standardisation over the rows whose
    /// video decodes (a path given twice counts twice, as in ML.NET's normalisers), with their raw
    /// embeddings by path (the transformer reuses them). A video that cannot be decoded throws ConstCl's error naming it
    /// in strict mode (the transform of the same data would fail later, inside another component's <c>Fit</c>, under
    /// ML.NET's wrappers); with SkipInvalidVideos it is left out of the statistics and named through <paramref name="warn"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Fewer than two videos decode, or one does not in strict mode.</exception>
    public static (EmbeddingStandardization Standardization, IReadOnlyDictionary<string, float[]> Raw) Fit(
        VideoEncoder encoder, TransformerSettings settings, IReadOnlyList<string> paths, Action<string> warn)
    {
        var distinct = paths.Distinct(StringComparer.Ordinal).ToList();
        var entries = new RowEmbedder(encoder, settings.Spec, settings.BatchSize).Embed(distinct);   // one run: decoding ahead, views batched
        var raw = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < distinct.Count; i++)
        {
            if (entries[i].Embedding is { } embedding)
            {
                raw[distinct[i]] = embedding;
            }
            else if (!settings.Spec.SkipInvalid)
            {
                throw new VideoEmbeddingException(distinct[i], entries[i].Error!);
            }
            else
            {
                warn($"The video '{distinct[i]}' cannot be decoded and is left out of the standardisation statistics: {entries[i].Error?.Message}");
            }
        }

        var standardization = EmbeddingStandardization.Fit(paths.Where(raw.ContainsKey).Select(p => raw[p]).ToList(), encoder.EmbeddingDimension);
        return (standardization, raw);
    }
}

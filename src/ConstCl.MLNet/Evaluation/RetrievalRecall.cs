namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// Nearest-neighbour retrieval recall@k, the video-retrieval protocol of the self-supervised literature (e.g. Xu et al.,
/// CVPR 2019, on UCF101): every test video queries the training videos by cosine similarity, and a query is a hit at k
/// when at least one of its k nearest training videos has the query's class. Recall@k is the fraction of hits.
/// </summary>
internal static class RetrievalRecall
{
    /// <summary>The k of the literature's tables.</summary>
    internal static readonly int[] StandardK = [1, 5, 10, 20, 50];

    /// <summary>Recall@k for each k of <paramref name="ks"/> that does not exceed the gallery size (larger ones are left out).</summary>
    /// <param name="gallery">The videos searched (the training set).</param>
    /// <param name="queries">The query videos (the test set).</param>
    /// <param name="ks">The k values, each ≥ 1.</param>
    internal static SortedDictionary<int, double> Compute(IReadOnlyList<LabeledEmbedding> gallery, IReadOnlyList<LabeledEmbedding> queries, IReadOnlyList<int> ks)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(ks);
        if (gallery.Count == 0 || queries.Count == 0)
        {
            throw new ArgumentException("Recall needs at least one gallery and one query video.", gallery.Count == 0 ? nameof(gallery) : nameof(queries));
        }

        var used = ks.Where(k => k <= gallery.Count).Distinct().Order().ToArray();
        var recall = new SortedDictionary<int, double>();
        if (used.Length == 0)
        {
            return recall;
        }

        var neighbours = NearestNeighbours.Find(queries.Select(q => q.Vector).ToArray(), gallery.Select(g => g.Vector).ToArray(), used[^1]);
        return FromNeighbours(neighbours, gallery.Select(g => g.ClassIndex).ToArray(), queries.Select(q => q.ClassIndex).ToArray(), used);
    }

    /// <summary>Recall@k from precomputed neighbour lists (best first, at least max k long when the gallery allows).</summary>
    /// <param name="neighbours">Per query, gallery indices best first.</param>
    /// <param name="galleryLabels">Class of each gallery video.</param>
    /// <param name="queryLabels">Class of each query.</param>
    /// <param name="ks">The k values to report.</param>
    internal static SortedDictionary<int, double> FromNeighbours(int[][] neighbours, int[] galleryLabels, int[] queryLabels, IReadOnlyList<int> ks)
    {
        var recall = new SortedDictionary<int, double>();
        foreach (int k in ks)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
            int hits = 0;
            for (int q = 0; q < neighbours.Length; q++)
            {
                int y = queryLabels[q];
                if (neighbours[q].Take(k).Any(j => galleryLabels[j] == y))
                {
                    hits++;
                }
            }

            recall[k] = (double)hits / neighbours.Length;
        }

        return recall;
    }
}

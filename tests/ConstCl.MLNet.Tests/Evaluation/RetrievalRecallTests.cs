using ConstCl.MLNet.Evaluation;

namespace ConstCl.MLNet.Tests.Evaluation;

public sealed class RetrievalRecallTests
{
    // Gallery: the three unit axes and two diagonals, classes 0, 1, 2, 1, 2.
    private static readonly LabeledEmbedding[] Gallery =
    [
        new(0, [1, 0, 0]),
        new(1, [0, 1, 0]),
        new(2, [0, 0, 1]),
        new(1, [1, 1, 0]),
        new(2, [1, 0, 1]),
    ];

    // Worked by hand (cosines): q0 → g0 1, g3 .71, g4 .71, g1 0, g2 0: its class at rank 1.
    // q1 = (1, .2, 0) of class 1 → g0 .98, g3 .83, g4 .69, g1 .20, g2 0: rank 2 (g3).
    // q2 = (0, 0, −1) of class 2 → g0, g1, g3 at 0 (index order), g4 −.71, g2 −1: rank 4 (g4).
    // q3 = (0, 1, 0) of class 0 → g1 1, g3 .71, g0 0, g2 0, g4 0: rank 3 (g0).
    private static readonly LabeledEmbedding[] Queries =
    [
        new(0, [1, 0, 0]),
        new(1, [1, 0.2f, 0]),
        new(2, [0, 0, -1]),
        new(0, [0, 1, 0]),
    ];

    [Fact]
    public void Recall_at_k_equals_the_hand_computed_values_and_k_beyond_the_gallery_is_left_out()
    {
        var recall = RetrievalRecall.Compute(Gallery, Queries, [1, 2, 3, 4, 5, 6]);
        Assert.Equal([1, 2, 3, 4, 5], recall.Keys);
        Assert.Equal(0.25, recall[1]);
        Assert.Equal(0.5, recall[2]);
        Assert.Equal(0.75, recall[3]);
        Assert.Equal(1.0, recall[4]);
        Assert.Equal(1.0, recall[5]);
    }

    [Fact]
    public void Neighbours_are_ordered_by_cosine_with_ties_in_gallery_order()
    {
        var neighbours = NearestNeighbours.Find(Queries.Select(q => q.Vector).ToArray(), Gallery.Select(g => g.Vector).ToArray(), 5);
        Assert.Equal([0, 3, 4, 1, 2], neighbours[0]);
        Assert.Equal([0, 3, 4, 1, 2], neighbours[1]);
        Assert.Equal([0, 1, 3, 4, 2], neighbours[2]);
        Assert.Equal([1, 3, 0, 2, 4], neighbours[3]);
        Assert.Equal(2, NearestNeighbours.Find(Queries.Select(q => q.Vector).ToArray(), Gallery.Select(g => g.Vector).ToArray(), 2)[0].Length);
        Assert.Equal(5, NearestNeighbours.Find([Queries[0].Vector], Gallery.Select(g => g.Vector).ToArray(), 50)[0].Length);   // capped at the gallery
    }

    [Fact]
    public void Neighbours_equal_a_brute_force_scan_and_recall_follows_from_them()
    {
        var (train, test, _) = ProbeExamples.Clusters(classes: 5, trainPerClass: 8, testPerClass: 4, dim: 12, noise: 2, seed: 7);
        var found = NearestNeighbours.Find(test.Select(e => e.Vector).ToArray(), train.Select(e => e.Vector).ToArray(), 10);
        var hits = new int[11];
        for (int q = 0; q < test.Count; q++)
        {
            // Brute force in double precision: cosine to every training vector, sorted.
            var cosine = train.Select(t => Cosine(test[q].Vector, t.Vector)).ToArray();
            var expected = Enumerable.Range(0, train.Count).OrderByDescending(j => cosine[j]).ThenBy(j => j).Take(10).ToArray();
            Assert.Equal(expected, found[q]);
            int first = Array.FindIndex(expected, j => train[j].ClassIndex == test[q].ClassIndex);
            for (int k = 1; k <= 10; k++)
            {
                hits[k] += first >= 0 && first < k ? 1 : 0;
            }
        }

        var recall = RetrievalRecall.Compute(train, test, [1, 5, 10]);
        Assert.Equal((double)hits[1] / test.Count, recall[1], 12);
        Assert.Equal((double)hits[5] / test.Count, recall[5], 12);
        Assert.Equal((double)hits[10] / test.Count, recall[10], 12);
        Assert.True(recall[1] <= recall[5] && recall[5] <= recall[10]);
    }

    [Fact]
    public void Public_cosine_equals_a_double_precision_brute_force_and_ranks_as_the_search_does()
    {
        var (train, test, _) = ProbeExamples.Clusters(classes: 3, trainPerClass: 5, testPerClass: 2, dim: 9, noise: 2, seed: 11);
        var found = NearestNeighbours.Find(test.Select(e => e.Vector).ToArray(), train.Select(e => e.Vector).ToArray(), train.Count);
        for (int q = 0; q < test.Count; q++)
        {
            var cosine = found[q].Select(j => NearestNeighbours.Cosine(test[q].Vector, train[j].Vector)).ToArray();
            for (int r = 0; r < cosine.Length; r++)
            {
                Assert.Equal(Cosine(test[q].Vector, train[found[q][r]].Vector), cosine[r], 5);
                Assert.True(r == 0 || cosine[r] <= cosine[r - 1]);   // nearest first, by this very value
            }
        }

        Assert.Equal(Math.Sqrt(0.5), NearestNeighbours.Cosine([1, 0, 0], [1, 1, 0]), 6);   // q0 → g3 of the hand-worked set
        Assert.Equal(-1f, NearestNeighbours.Cosine([0, 0, -1], [0, 0, 3]), 6);
        Assert.Equal(0f, NearestNeighbours.Cosine([0, 0, 0], [1, 2, 3]));   // a zero vector stays zero
        Assert.Throws<ArgumentNullException>(() => NearestNeighbours.Cosine(null!, [1f]));
        Assert.Throws<ArgumentNullException>(() => NearestNeighbours.Cosine([1f], null!));
        Assert.Throws<ArgumentException>(() => NearestNeighbours.Cosine([1f, 0f], [1f]));
    }

    [Fact]
    public void Empty_sets_and_bad_k_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RetrievalRecall.Compute([], Queries, [1]));
        Assert.Throws<ArgumentException>(() => RetrievalRecall.Compute(Gallery, [], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NearestNeighbours.Find([Queries[0].Vector], [Gallery[0].Vector], 0));
        Assert.Throws<ArgumentException>(() => NearestNeighbours.Find([[1f, 0f]], [Gallery[0].Vector], 1));
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int d = 0; d < a.Length; d++)
        {
            dot += (double)a[d] * b[d];
            na += (double)a[d] * a[d];
            nb += (double)b[d] * b[d];
        }

        return dot / Math.Sqrt(na * nb);
    }
}

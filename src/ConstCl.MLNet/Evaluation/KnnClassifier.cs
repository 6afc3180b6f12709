using System.Globalization;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// k-nearest-neighbour evaluation of frozen embeddings: each vector is L2-normalised (so the dot product is the cosine
/// similarity), each test example takes the <see cref="K"/> most similar training examples (equal similarities: the
/// earlier training example first) and they vote by <see cref="Voting"/>. The class scores are the votes, so
/// top-5 and the confusion matrix follow the same ranking rule as the linear probe. No training, no randomness.
/// Majority scores are <c>count + Σ((1 + similarity) / 2) / (K + 1)</c>: the second term lies in [0, 1), so it only breaks
/// ties between equal counts (in favour of the closer neighbours).
/// </summary>
public sealed class KnnClassifier
{
    /// <summary>Creates a classifier.</summary>
    /// <param name="k">Neighbours per test example, ≥ 1 (capped at the number of training examples).</param>
    /// <param name="voting">How neighbours vote (default <see cref="KnnVoting.Majority"/>).</param>
    public KnnClassifier(int k, KnnVoting voting = KnnVoting.Majority)
    {
        if (k < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        }

        if (!Enum.IsDefined(voting))
        {
            throw new ArgumentOutOfRangeException(nameof(voting), voting, "voting must be Majority or SimilarityWeighted.");
        }

        K = k;
        Voting = voting;
    }

    /// <summary>Neighbours per test example.</summary>
    public int K { get; }

    /// <summary>How neighbours vote.</summary>
    public KnnVoting Voting { get; }

    /// <summary>Printable settings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Describe() =>
    [
        new("method", "kNN"),
        new("k", K.ToString(CultureInfo.InvariantCulture)),
        new("voting", Voting.ToString()),
        new("similarity", "cosine (L2-normalised vectors)"),
    ];

    /// <summary>Classifies every test example by its neighbours among <paramref name="train"/>.</summary>
    /// <param name="train">Reference examples.</param>
    /// <param name="test">Examples to classify.</param>
    /// <param name="classNames">Class names in class-index order.</param>
    public ClassificationResult Evaluate(IReadOnlyList<LabeledEmbedding> train, IReadOnlyList<LabeledEmbedding> test, IReadOnlyList<string> classNames)
    {
        LinearProbe.CheckExamples(train, test, classNames);   // one dimension everywhere (NearestNeighbours.Dot relies on it)
        var reference = train.Select(e => NearestNeighbours.Normalized(e.Vector)).ToArray();
        var labels = train.Select(e => e.ClassIndex).ToArray();
        int k = Math.Min(K, train.Count);
        var scores = new float[test.Count][];
        Parallel.For(0, test.Count, i =>
        {
            var q = NearestNeighbours.Normalized(test[i].Vector);
            var similarity = new float[reference.Length];
            for (int j = 0; j < reference.Length; j++)
            {
                similarity[j] = NearestNeighbours.Dot(q, reference[j]);
            }

            scores[i] = Vote(similarity, labels, k, classNames.Count, Voting);
        });
        return ClassificationResult.FromScores($"kNN (k = {K}, {Voting})", classNames, train.Count, test.Select(t => t.ClassIndex).ToArray(), scores, Describe());
    }

    /// <summary>Class scores of one query from its similarities to the reference examples.</summary>
    internal static float[] Vote(float[] similarity, int[] labels, int k, int classes, KnnVoting voting)
    {
        // The k best by similarity; equal similarities keep the earlier reference example (stable order).
        var order = Enumerable.Range(0, similarity.Length).OrderByDescending(j => similarity[j]).ThenBy(j => j).Take(k);
        var counts = new double[classes];
        var sums = new double[classes];
        foreach (int j in order)
        {
            counts[labels[j]] += 1;
            sums[labels[j]] += voting == KnnVoting.Majority ? (1.0 + similarity[j]) / 2 : similarity[j];
        }

        var scores = new float[classes];
        for (int c = 0; c < classes; c++)
        {
            scores[c] = voting == KnnVoting.Majority ? (float)(counts[c] + (sums[c] / (k + 1))) : (float)sums[c];
        }

        return scores;
    }
}

using ConstCl.MLNet.Evaluation;

namespace ConstCl.MLNet.Tests.Evaluation;

public sealed class KnnClassifierTests
{
    [Theory]
    [InlineData(1, KnnVoting.Majority)]
    [InlineData(5, KnnVoting.Majority)]
    [InlineData(5, KnnVoting.SimilarityWeighted)]
    public void Predictions_equal_a_brute_force_neighbour_vote(int k, KnnVoting voting)
    {
        var (train, test, names) = ProbeExamples.Clusters(classes: 4, trainPerClass: 6, testPerClass: 5, dim: 10, noise: 3, seed: 2);
        // Unnormalised copies: the classifier must normalise them itself (cosine similarity).
        var scaledTrain = train.Select((e, i) => e with { Vector = e.Vector.Select(x => x * (1 + i)).ToArray() }).ToList();
        var result = new KnnClassifier(k, voting).Evaluate(scaledTrain, test, names);

        for (int i = 0; i < test.Count; i++)
        {
            // Brute force in double precision: cosine to every training example, sort, vote.
            var q = test[i].Vector;
            var sims = train.Select((e, j) => (Sim: Cosine(q, e.Vector), J: j, Class: e.ClassIndex)).OrderByDescending(x => x.Sim).ThenBy(x => x.J).Take(k).ToList();
            var votes = new double[names.Length];
            var counts = new int[names.Length];
            foreach (var s in sims)
            {
                votes[s.Class] += s.Sim;
                counts[s.Class]++;
            }

            int expected = voting == KnnVoting.Majority
                ? Enumerable.Range(0, names.Length).OrderByDescending(c => counts[c]).ThenByDescending(c => votes[c]).ThenBy(c => c).First()
                : Enumerable.Range(0, names.Length).OrderByDescending(c => votes[c]).ThenBy(c => c).First();
            Assert.Equal(expected, result.Predicted[i]);
        }

        double top1 = Enumerable.Range(0, test.Count).Count(i => result.Predicted[i] == test[i].ClassIndex) / (double)test.Count;
        Assert.Equal(top1, result.Top1, 12);
        Assert.Equal(test.Count, result.ConfusionMatrix.Sum(r => r.Sum()));
    }

    [Fact]
    public void K_one_on_the_training_set_itself_is_perfect()
    {
        var (train, _, names) = ProbeExamples.Clusters(classes: 3, trainPerClass: 4, testPerClass: 1, dim: 8, noise: 5, seed: 9);
        var result = new KnnClassifier(1).Evaluate(train, train, names);
        Assert.Equal(1.0, result.Top1);   // every example's nearest neighbour is itself (cosine 1)
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnnClassifier(0));
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

using ConstCl.MLNet.Evaluation;

namespace ConstCl.MLNet.Tests.Evaluation;

public sealed class ClassificationResultTests
{
    [Fact]
    public void Top_k_mean_class_accuracy_and_confusion_equal_a_brute_force_count()
    {
        // Random scores with a few exact ties (values on a coarse grid) and one class without test examples.
        var rng = new Random(4);
        const int classes = 7, n = 300;
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(classes - 1)).ToArray();
        var scores = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, classes).Select(_ => (float)rng.Next(6)).ToArray()).ToArray();
        var names = Enumerable.Range(0, classes).Select(c => "c" + c).ToArray();
        var result = ClassificationResult.FromScores("test", names, 11, labels, scores, []);

        // Brute force: order classes by (score descending, index ascending) and find the true class's position.
        int top1 = 0, top5 = 0;
        var confusion = new int[classes, classes];
        var perClassCorrect = new int[classes];
        var perClassTotal = new int[classes];
        for (int i = 0; i < n; i++)
        {
            var order = Enumerable.Range(0, classes).OrderByDescending(c => scores[i][c]).ThenBy(c => c).ToList();
            int position = order.IndexOf(labels[i]);
            top1 += position == 0 ? 1 : 0;
            top5 += position < 5 ? 1 : 0;
            confusion[labels[i], order[0]]++;
            perClassTotal[labels[i]]++;
            perClassCorrect[labels[i]] += position == 0 ? 1 : 0;
        }

        Assert.Equal((double)top1 / n, result.Top1, 12);
        Assert.Equal((double)top5 / n, result.Top5, 12);
        double meanClass = Enumerable.Range(0, classes - 1).Average(c => (double)perClassCorrect[c] / perClassTotal[c]);
        Assert.Equal(meanClass, result.MeanClassAccuracy, 12);
        for (int t = 0; t < classes; t++)
        {
            for (int p = 0; p < classes; p++)
            {
                Assert.Equal(confusion[t, p], result.ConfusionMatrix[t][p]);
            }

            Assert.Equal(perClassTotal[t], result.PerClass[t].Support);
            Assert.Equal(perClassCorrect[t], result.PerClass[t].Correct);
        }

        Assert.True(double.IsNaN(result.PerClass[classes - 1].Accuracy));   // no test example of the last class
        Assert.Equal(n, result.TestCount);
        Assert.Equal(11, result.TrainCount);
    }

    [Fact]
    public void Bad_scores_are_refused_with_the_row_named()
    {
        var ex = Assert.Throws<ArgumentException>(() => ClassificationResult.FromScores("x", ["a", "b"], 1, [0, 1], [[1f, 2f], [1f]], []));
        Assert.Contains("score row 1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ClassificationResult.FromScores("x", ["a", "b"], 1, [2], [[1f, 2f]], []));
    }
}

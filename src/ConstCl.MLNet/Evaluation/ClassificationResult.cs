namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// What a probe measured on the test examples: top-1 and top-5 accuracy, mean per-class accuracy, the per-class table and
/// the confusion matrix. Ranking rule (the same as ML.NET's <c>PredictedLabel</c>): the predicted class is the first
/// class with the highest score; a true class's rank counts the classes with a higher score plus the lower-indexed classes
/// with an equal score, and it is within top-k when that rank is below k.
/// </summary>
public sealed class ClassificationResult
{
    private ClassificationResult(
        string method,
        IReadOnlyList<string> classNames,
        int trainCount,
        int[] labels,
        int[] predicted,
        int[] ranks,
        IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        Method = method;
        ClassNames = classNames;
        TrainCount = trainCount;
        Labels = labels;
        Predicted = predicted;
        Settings = settings;
        int classes = classNames.Count;
        var confusion = new int[classes][];
        for (int c = 0; c < classes; c++)
        {
            confusion[c] = new int[classes];
        }

        var support = new int[classes];
        var correct = new int[classes];
        var top5 = new int[classes];
        int top1Total = 0, top5Total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            int y = labels[i];
            confusion[y][predicted[i]]++;
            support[y]++;
            if (ranks[i] == 0)
            {
                correct[y]++;
                top1Total++;
            }

            if (ranks[i] < 5)
            {
                top5[y]++;
                top5Total++;
            }
        }

        ConfusionMatrix = confusion;
        PerClass = Enumerable.Range(0, classes)
            .Select(c => new ClassAccuracy(
                c,
                classNames[c],
                support[c],
                correct[c],
                support[c] > 0 ? (double)correct[c] / support[c] : double.NaN,
                support[c] > 0 ? (double)top5[c] / support[c] : double.NaN))
            .ToArray();
        Top1 = labels.Length > 0 ? (double)top1Total / labels.Length : double.NaN;
        Top5 = labels.Length > 0 ? (double)top5Total / labels.Length : double.NaN;
        var present = PerClass.Where(p => p.Support > 0).ToArray();
        MeanClassAccuracy = present.Length > 0 ? present.Average(p => p.Accuracy) : double.NaN;
    }

    /// <summary>What produced the scores, for example <c>LbfgsMaximumEntropy</c> or <c>kNN (k = 20, Majority)</c>.</summary>
    public string Method { get; }

    /// <summary>The method's settings as printable name/value pairs (hyper-parameters, seed).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; }

    /// <summary>Class names in class-index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Number of training examples.</summary>
    public int TrainCount { get; }

    /// <summary>Number of test examples.</summary>
    public int TestCount => Labels.Count;

    /// <summary>Fraction of test examples whose predicted class is the true one.</summary>
    public double Top1 { get; }

    /// <summary>Fraction of test examples whose true class is among the five best scores.</summary>
    public double Top5 { get; }

    /// <summary>Mean over the classes that have test examples of their top-1 accuracy (ML.NET's macro accuracy).</summary>
    public double MeanClassAccuracy { get; }

    /// <summary>One row per class, in class-index order.</summary>
    public IReadOnlyList<ClassAccuracy> PerClass { get; }

    /// <summary><c>[classes][classes]</c>: row = true class, column = predicted class, value = number of test examples.</summary>
    public IReadOnlyList<int[]> ConfusionMatrix { get; }

    /// <summary>True class of each test example, in test order.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>Predicted class of each test example, in test order.</summary>
    public IReadOnlyList<int> Predicted { get; }

    /// <summary>Builds the result from one score row per test example (higher = more likely), by the ranking rule above.</summary>
    /// <param name="method">What produced the scores.</param>
    /// <param name="classNames">Class names; every score row has this many entries.</param>
    /// <param name="trainCount">Training examples used.</param>
    /// <param name="labels">True class of each test example.</param>
    /// <param name="scores">Scores <c>[test][classes]</c>.</param>
    /// <param name="settings">Printable settings of the method.</param>
    internal static ClassificationResult FromScores(
        string method,
        IReadOnlyList<string> classNames,
        int trainCount,
        IReadOnlyList<int> labels,
        IReadOnlyList<float[]> scores,
        IReadOnlyList<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count != scores.Count)
        {
            throw new ArgumentException($"scores has {scores.Count} rows but labels has {labels.Count}.", nameof(scores));
        }

        int n = labels.Count, classes = classNames.Count;
        var truth = new int[n];
        var predicted = new int[n];
        var ranks = new int[n];
        for (int i = 0; i < n; i++)
        {
            var s = scores[i];
            int y = labels[i];
            if (s.Length != classes)
            {
                throw new ArgumentException($"score row {i} has {s.Length} entries; expected one per class ({classes}).", nameof(scores));
            }

            if ((uint)y >= (uint)classes)
            {
                throw new ArgumentException($"label {y} of test example {i} is outside 0..{classes - 1}.", nameof(labels));
            }

            int best = 0, rank = 0;
            for (int c = 0; c < classes; c++)
            {
                if (s[c] > s[best])
                {
                    best = c;
                }

                if (s[c] > s[y] || (s[c] == s[y] && c < y))
                {
                    rank++;
                }
            }

            truth[i] = y;
            predicted[i] = best;
            ranks[i] = rank;
        }

        return new ClassificationResult(method, classNames, trainCount, truth, predicted, ranks, settings);
    }
}

using ConstCl.MLNet.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace ConstCl.MLNet.Tests.Evaluation;

public sealed class LinearProbeTests
{
    private sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType(24)]
        public float[] Features { get; set; } = [];
    }

    private sealed class KeyRow
    {
        public string Label { get; set; } = "";
    }

    [Theory]
    [InlineData(ProbeTrainer.Lbfgs)]
    [InlineData(ProbeTrainer.Sdca)]
    public void Numbers_equal_ML_NET_s_own_evaluation_of_the_same_trainer(ProbeTrainer trainer)
    {
        var (train, test, names) = ProbeExamples.Clusters(classes: 6, trainPerClass: 12, testPerClass: 8, dim: 24, noise: 2.5, seed: 1);
        var options = new LinearProbeOptions { Trainer = trainer, Seed = 3, NumberOfThreads = 1 };
        var result = new LinearProbe(options).Evaluate(train, test, names);

        // The same fit done the ordinary ML.NET way: string labels → MapValueToKey (fixed class order) → standardise → trainer → Evaluate.
        var ml = new MLContext(3);
        IDataView View(List<LabeledEmbedding> set) => ml.Data.LoadFromEnumerable(set.Select(e => new Row { Label = names[e.ClassIndex], Features = e.Vector }));
        var keys = ml.Data.LoadFromEnumerable(names.Select(n => new KeyRow { Label = n }));
        IEstimator<ITransformer> estimator = trainer == ProbeTrainer.Lbfgs
            ? ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                L2Regularization = 1, L1Regularization = 0, OptimizationTolerance = 1e-5f, MaximumNumberOfIterations = 500, HistorySize = 20, NumberOfThreads = 1,
            })
            : ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options { NumberOfThreads = 1 });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyData: keys)
            .Append(ml.Transforms.NormalizeMeanVariance("Features", fixZero: false))
            .Append(estimator);
        var model = pipeline.Fit(View(train));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(View(test)), topKPredictionCount: 5);

        Assert.Equal(metrics.MicroAccuracy, result.Top1, 12);
        Assert.Equal(metrics.TopKAccuracy, result.Top5, 12);
        Assert.Equal(metrics.MacroAccuracy, result.MeanClassAccuracy, 12);
        for (int t = 0; t < names.Length; t++)
        {
            for (int p = 0; p < names.Length; p++)
            {
                Assert.Equal(metrics.ConfusionMatrix.Counts[t][p], result.ConfusionMatrix[t][p]);
            }
        }

        Assert.InRange(result.Top1, 0.5, 1.0);   // clusters at noise 2.5 in 24-D are mostly separable: a broken probe would sit near 1/6
        Assert.Equal(72, result.TrainCount);
        Assert.Equal(48, result.TestCount);
        Assert.Contains(result.Settings, kv => kv.Key == "trainer" && kv.Value == options.TrainerName);
    }

    [Fact]
    public void Bad_examples_are_refused_with_a_clear_message()
    {
        var probe = new LinearProbe();
        LabeledEmbedding[] ok = [new(0, [1f, 0f]), new(1, [0f, 1f])];
        Assert.Contains("test example 0 has an embedding of 3", Assert.Throws<ArgumentException>(() => probe.Evaluate(ok, [new(0, [1f, 0f, 0f])], ["a", "b"])).Message, StringComparison.Ordinal);
        Assert.Contains("class index 5", Assert.Throws<ArgumentException>(() => probe.Evaluate(ok, [new(5, [1f, 0f])], ["a", "b"])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => probe.Evaluate([], ok, ["a", "b"]));
        Assert.Throws<ArgumentException>(() => new LinearProbeOptions { L2Regularization = -1 }.Validate());
    }
}

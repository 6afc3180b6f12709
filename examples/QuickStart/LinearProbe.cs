using Microsoft.ML;
using Microsoft.ML.Data;

namespace QuickStart;

/// <summary>
/// The quick start's linear probe: ML.NET's <c>LbfgsMaximumEntropy</c> (multinomial logistic regression) on
/// standardised embeddings, fitted on the train split and scored on the test split.
/// </summary>
internal static class LinearProbe
{
    /// <summary>Top-1 accuracy on <paramref name="test"/> of a probe fitted on <paramref name="train"/>.</summary>
    /// <param name="train">(label, embedding) rows to fit on; every embedding has the same length.</param>
    /// <param name="test">(label, embedding) rows to score.</param>
    /// <param name="seed">ML.NET's seed.</param>
    /// <param name="l2">L2 penalty weight.</param>
    /// <param name="l1">L1 penalty weight.</param>
    public static double Accuracy(IReadOnlyList<(string Label, float[] Embedding)> train, IReadOnlyList<(string Label, float[] Embedding)> test, int seed, float l2 = 1e-2f, float l1 = 0f)
    {
        var ml = new MLContext(seed);
        int dimension = train[0].Embedding.Length;
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var trainData = ml.Data.LoadFromEnumerable(train.Select(r => new Row { Label = r.Label, Features = r.Embedding }), schema);
        var testData = ml.Data.LoadFromEnumerable(test.Select(r => new Row { Label = r.Label, Features = r.Embedding }), schema);
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Label))
            .Append(ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(nameof(Row.Label), nameof(Row.Features), l1Regularization: l1, l2Regularization: l2));
        var model = pipeline.Fit(trainData);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(testData), nameof(Row.Label));
        return metrics.MicroAccuracy;
    }

    private sealed class Row
    {
        public string Label { get; set; } = "";

        public float[] Features { get; set; } = [];
    }
}

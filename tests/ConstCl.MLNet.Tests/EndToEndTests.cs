using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// Synthetic videos → pre-train (Tiny topology, 2 steps) → MapValueToKey → LbfgsMaximumEntropy → MapKeyToValue →
/// Evaluate → save → load in a fresh process → the same metrics, scores and embeddings.
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class EndToEndTests
{
    private readonly MLNetTestData _data;

    public EndToEndTests(MLNetTestData data) => _data = data;

    [Fact]
    public void PretrainLinearProbeEvaluateSaveLoadInFreshProcessGivesTheSameMetrics()
    {
        var ml = _data.NewContext();
        var train = ml.Data.LoadFromEnumerable(_data.Videos.Where((_, i) => i % 4 != 3));
        var test = ml.Data.LoadFromEnumerable(_data.Videos.Where((_, i) => i % 4 == 3));
        var pipeline = ml.ConstCl().PretrainVideoEncoder(ConstClPretrainingEstimatorTests.Options(_data.NewFolder()))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelText", "PredictedLabel"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.True(double.IsFinite(metrics.LogLoss));
        var embeddings = Assertions.Embeddings(scored);
        var scores = Assertions.Embeddings(scored, "Score");
        var predicted = scored.GetColumn<string>("PredictedLabelText").ToArray();

        var zip = Path.Combine(_data.NewFolder(), "probe.zip");
        ml.Model.Save(model, train.Schema, zip);
        var testRows = _data.Videos.Where((_, i) => i % 4 == 3).Select(r => new[] { r.VideoPath, r.Label });
        var loaded = FreshProcess.Run(zip, ["VideoPath", "Label"], testRows, evaluate: true);

        Assertions.Close(embeddings, loaded.Vectors("Embedding"));
        Assertions.Close(scores, loaded.Vectors("Score"));
        Assert.Equal(predicted, loaded.Texts("PredictedLabelText"));
        Assert.Equal(metrics.MicroAccuracy, loaded.Metrics!["MicroAccuracy"], 6);
        Assert.Equal(metrics.MacroAccuracy, loaded.Metrics!["MacroAccuracy"], 6);
        Assert.Equal(metrics.LogLoss, loaded.Metrics!["LogLoss"], 4);
        Assert.Equal(scored.Schema["Embedding"].Type.ToString(), loaded.Types["Embedding"]);
        (model as IDisposable)?.Dispose();
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// The README pipeline with nothing else (EmbedVideos → MapValueToKey → LbfgsMaximumEntropy with its defaults) on 8
/// synthetic classes that the random test encoder separates (<see cref="MLNetTestData.Colours"/>). Unstandardised, the
/// embeddings (unit-norm, nearly parallel) look constant to the L2-regularised trainer and it predicts one class for
/// every video; standardised (the default) the same encoder and trainer separate the classes.
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class StandardizedProbeTests
{
    private readonly MLNetTestData _data;

    public StandardizedProbeTests(MLNetTestData data) => _data = data;

    [Fact]
    public void ReadmeProbePipelineIsWellAboveChanceWithStandardizationAndNearChanceWithout()
    {
        var (trainRows, testRows) = _data.Colours;
        var chance = 1.0 / trainRows.Select(r => r.Label).Distinct().Count();

        var standardized = Probe(trainRows, testRows, standardize: true);
        var raw = Probe(trainRows, testRows, standardize: false);

        // Measured (random Tiny encoder, 16 test videos): standardised 0.875 with 7 distinct predictions; unstandardised
        // 0.125 (= chance) with a single predicted class.
        Assert.True(standardized.Accuracy >= 2 * chance, $"standardised accuracy {standardized.Accuracy} < 2 × chance ({chance})");
        Assert.True(raw.Accuracy < 2 * chance, $"unstandardised accuracy {raw.Accuracy} (expected near chance {chance})");
        Assert.True(raw.DistinctPredictions <= 2, $"unstandardised probe predicted {raw.DistinctPredictions} classes");
        Assert.True(standardized.DistinctPredictions >= 4, $"standardised probe predicted {standardized.DistinctPredictions} classes");
    }

    private (double Accuracy, int DistinctPredictions) Probe(VideoRow[] trainRows, VideoRow[] testRows, bool standardize)
    {
        var ml = _data.NewContext();
        var train = ml.Data.LoadFromEnumerable(trainRows);
        var test = ml.Data.LoadFromEnumerable(testRows);
        var pipeline = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, ClipCount = 2, CropCount = 1, Standardize = standardize })
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"));
        var model = pipeline.Fit(train);
        try
        {
            var scored = model.Transform(test);
            var distinct = scored.GetColumn<uint>("PredictedLabel").Distinct().Count();
            return (ml.MulticlassClassification.Evaluate(scored).MicroAccuracy, distinct);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// Synthetic videos → pre-train (Tiny topology, 2 steps) → MapValueToKey → LbfgsMaximumEntropy → MapKeyToValue →
/// Evaluate → save → load in a fresh process → the same metrics, scores and embeddings. The first part is the pipeline
/// of architecture.md "Public API shape" and docs/mlnet.md, compiled and run as written (only the options' "…" is
/// filled in with the tiny test settings; relative paths resolve in a temporary working folder).
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class EndToEndTests
{
    private readonly MLNetTestData _data;

    public EndToEndTests(MLNetTestData data) => _data = data;

    [Trait("Category", "Slow")]   // a fresh process
    [Fact]
    public void ApiSketchThenLinearProbeEvaluateSaveLoadInFreshProcessGivesTheSameMetrics()
    {
        var previous = Directory.GetCurrentDirectory();
        var folder = _data.NewFolder();
        Directory.SetCurrentDirectory(folder);
        try
        {
            var videos = _data.Videos;
            var train = new MLContext(seed: 1).Data.LoadFromEnumerable(videos.Where((_, i) => i % 4 != 3));
            var test = new MLContext(seed: 1).Data.LoadFromEnumerable(videos.Where((_, i) => i % 4 == 3));

            // ---- the API sketch (architecture.md, docs/mlnet.md), as written ----
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(videos);              // columns: VideoPath (string), Label (string)
            var pipeline = ml.ConstCl().PretrainVideoEncoder(new ConstClPretrainingOptions { Training = MLNetTestData.Training, Model = MLNetTestData.Model, CheckpointDirectory = ".", ClipCount = 2, CropCount = 1 })   // Fit = pre-training
                .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
                .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"));
            var model = pipeline.Fit(train);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            ml.Model.Save(model, train.Schema, "probe.zip");            // round-trips, see decision 4
            var embedder = ml.ConstCl().EmbedVideos("Embedding", encoderPath: "encoder.constcl");   // Fit learns only the standardisation
            // ---- end of the sketch ----

            Assert.Equal(videos.Length, data.GetRowCount());
            Assert.True(new FileInfo("probe.zip").Length > 0);
            using (var fromFile = embedder.Fit(test))
            {
                Assert.Equal(((ConstClVideoEmbeddingTransformer)model.First()).EncoderHash, fromFile.EncoderHash);
            }

            // The linear probe with labels mapped back to text.
            var probe = model.Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabelText", "PredictedLabel").Fit(model.Transform(train)));
            var scored = probe.Transform(test);
            var again = ml.MulticlassClassification.Evaluate(scored);
            Assert.Equal(metrics.MicroAccuracy, again.MicroAccuracy);
            Assert.InRange(metrics.MicroAccuracy, 0, 1);
            Assert.True(double.IsFinite(metrics.LogLoss));
            var embeddings = Assertions.Embeddings(scored);
            var scores = Assertions.Embeddings(scored, "Score");
            var predicted = scored.GetColumn<string>("PredictedLabelText").ToArray();
            Assert.All(predicted, p => Assert.Contains(p, videos.Select(v => v.Label)));

            var zip = Path.Combine(folder, "probe-text.zip");
            ml.Model.Save(probe, train.Schema, zip);
            var testRows = videos.Where((_, i) => i % 4 == 3).Select(r => new[] { r.VideoPath, r.Label });
            var loaded = FreshProcess.Run(zip, ["VideoPath", "Label"], testRows, evaluate: true);

            var standardization = ((ConstClVideoEmbeddingTransformer)model.First()).Standardization;
            Assert.NotNull(standardization);                               // on by default
            Assertions.CloseStandardized(embeddings, loaded.Vectors("Embedding"), standardization);
            Assertions.Close(scores, loaded.Vectors("Score"));
            Assert.Equal(predicted, loaded.Texts("PredictedLabelText"));
            Assert.Equal(metrics.MicroAccuracy, loaded.Metrics!["MicroAccuracy"], 6);
            Assert.Equal(metrics.MacroAccuracy, loaded.Metrics!["MacroAccuracy"], 6);
            Assert.Equal(metrics.LogLoss, loaded.Metrics!["LogLoss"], 4);
            Assert.Equal(scored.Schema["Embedding"].Type.ToString(), loaded.Types["Embedding"]);
            (model as IDisposable)?.Dispose();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }
}

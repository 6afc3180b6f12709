using Microsoft.ML;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// The pipeline of architecture.md "Public API shape" and docs/mlnet.md, compiled and run as written (only the
/// options' "…" is filled in, with the tiny test settings). Relative paths resolve in a temporary working folder.
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class ApiSketchTests
{
    private readonly MLNetTestData _data;

    public ApiSketchTests(MLNetTestData data) => _data = data;

    [Fact]
    public void ArchitectureSketchCompilesAndRunsAsWritten()
    {
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(_data.NewFolder());
        try
        {
            var videos = _data.Videos;
            var train = new MLContext(seed: 1).Data.LoadFromEnumerable(videos.Where((_, i) => i % 4 != 3));
            var test = new MLContext(seed: 1).Data.LoadFromEnumerable(videos.Where((_, i) => i % 4 == 3));

            // ---- sketch (architecture.md, docs/mlnet.md) ----
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(videos);              // columns: VideoPath (string), Label (string)
            var pipeline = ml.ConstCl().PretrainVideoEncoder(new ConstClPretrainingOptions { Training = MLNetTestData.Training, Model = MLNetTestData.Model, CheckpointDirectory = ".", Clips = 2, Crops = 1 })   // Fit = pre-training
                .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
                .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"));
            var model = pipeline.Fit(train);
            var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
            ml.Model.Save(model, train.Schema, "probe.zip");            // round-trips, see decision 4
            var embedder = ml.ConstCl().EmbedVideos(encoderPath: "encoder.constcl");   // nothing to fit
            // ---- end of sketch ----

            Assert.Equal(videos.Length, data.GetRowCount());
            Assert.InRange(metrics.MicroAccuracy, 0, 1);
            Assert.True(new FileInfo("probe.zip").Length > 0);
            using var fromFile = embedder.Fit(test);
            Assert.Equal(((ConstClVideoEmbeddingTransformer)model.First()).EncoderHash, fromFile.EncoderHash);
            (model as IDisposable)?.Dispose();
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }
}

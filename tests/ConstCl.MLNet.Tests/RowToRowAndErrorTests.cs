using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// The in-process transformer as a row-to-row mapper (PredictionEngine without save/load, one video per row read,
/// streaming), the ML.NET-style catalog signatures with a base folder for relative paths, and errors that carry
/// ConstCl's text on top (issue 12).
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class RowToRowAndErrorTests
{
    private readonly MLNetTestData _data;

    public RowToRowAndErrorTests(MLNetTestData data) => _data = data;

    private ConstClEmbeddingOptions Options(bool standardize = false) => new()
    {
        EncoderPath = _data.EncoderPath, ClipCount = 2, CropCount = 1, BatchSize = 6, Standardize = standardize,
    };

    [Fact]
    public void PredictionEngineWorksRightAfterFitAndGivesTheTransformsEmbeddings()
    {
        var ml = _data.NewContext();
        var rows = _data.Videos;
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(Options(standardize: true)).Fit(ml.Data.LoadFromEnumerable(rows.Take(4)));
        Assert.True(transformer.IsRowToRowMapper);
        var streamed = Assertions.Embeddings(transformer.Transform(data));   // look-ahead batches of 1, 2, 3, 3 rows

        // ownsTransformer: false — a default engine would dispose the transformer with itself.
        using var engine = ml.Model.CreatePredictionEngine<VideoRow, EmbeddingRow>(transformer, new PredictionEngineOptions { OwnsTransformer = false });
        var predicted = rows.Select(r => engine.Predict(r).Embedding).ToArray();
        Assertions.Close(streamed, predicted, 1e-5f);
        Assert.Equal(MLNetTestData.Model.Backbone.OutputChannels, predicted[0].Length);

        // In a chain with an ML.NET transform too.
        var chain = new TransformerChain<ITransformer>(transformer, ml.Transforms.Conversion.MapValueToKey("Label").Fit(data));
        using var chained = ml.Model.CreatePredictionEngine<VideoRow, EmbeddingRow>(chain, new PredictionEngineOptions { OwnsTransformer = false });
        Assertions.Close([predicted[6]], [chained.Predict(rows[6]).Embedding], 1e-5f);
    }

    /// <summary>
    /// Reading one row embeds one video and nothing is kept: the second row's file does not exist when the first row is
    /// previewed (strict mode would throw if it were embedded then), and appears before the whole view is read again.
    /// </summary>
    [Fact]
    public void PreviewOfOneRowEmbedsOneVideoAndTheViewKeepsNothing()
    {
        var ml = _data.NewContext();
        using var transformer = ml.ConstCl().EmbedVideos(Options()).Fit(ml.Data.LoadFromEnumerable(_data.Videos.Take(2)));
        var later = Path.Combine(_data.NewFolder(), "later.avi");
        var view = transformer.Transform(ml.Data.LoadFromEnumerable(new[] { _data.Videos[2], new VideoRow { VideoPath = later }, _data.Videos[3] }));

        var first = view.Preview(maxRows: 1);
        Assert.Single(first.RowView);
        var missing = Assert.ThrowsAny<InvalidOperationException>(() => Assertions.Embeddings(view));
        Assert.Contains(later, Assertions.AllMessages(missing));

        File.Copy(_data.Videos[4].VideoPath, later);
        var all = Assertions.Embeddings(view);
        var expected = Assertions.Embeddings(transformer.Transform(ml.Data.LoadFromEnumerable(new[] { _data.Videos[2], _data.Videos[4], _data.Videos[3] })));
        Assertions.Close(expected, all, 1e-5f);
    }

    [Fact]
    public void CatalogTakesOutputThenInputColumnAndAFolderForRelativePathsThatSurvivesSaveAndLoad()
    {
        var ml = _data.NewContext();
        var folder = Path.GetDirectoryName(_data.Videos[0].VideoPath)!;
        var relative = _data.Videos.Take(3).Select(v => new { Clip = Path.GetRelativePath(folder, v.VideoPath) }).ToArray();
        Assert.All(relative, r => Assert.False(Path.IsPathRooted(r.Clip)));
        var data = ml.Data.LoadFromEnumerable(relative);

        using var transformer = ml.ConstCl().EmbedVideos("Features", _data.EncoderPath, inputColumnName: "Clip", videoFolder: folder).Fit(data);
        Assert.Equal(("Features", "Clip"), (transformer.OutputColumnName, transformer.VideoPathColumnName));
        var fromFolder = Assertions.Embeddings(transformer.Transform(data), "Features");
        var absolute = ml.Data.LoadFromEnumerable(_data.Videos.Take(3).Select(v => new { Clip = v.VideoPath }).ToArray());
        Assertions.Close(Assertions.Embeddings(transformer.Transform(absolute), "Features"), fromFolder, 1e-5f);   // absolute paths ignore the folder

        _data.SaveLoadAndCheck(ml, transformer, data.Schema, (ml2, loaded) =>
            Assertions.CloseStandardized(fromFolder, Assertions.Embeddings(loaded.Transform(ml2.Data.LoadFromEnumerable(relative)), "Features"), transformer.Standardization!));

        var simple = ml.ConstCl().PretrainVideoEncoder("Features", "Clip", videoFolder: folder);
        Assert.Equal(ConstCl.Training.PretrainingOptions.Small with { Seed = simple.Training.Seed }, simple.Training);   // the CPU preset
    }

    /// <summary>
    /// A missing video: refused by Fit before anything else (ConstCl's text on top, even inside a whole pipeline's Fit);
    /// transformed later inside a trainer's Fit, ConstCl's error is the inner exception of ML.NET's wrapper. A wrong
    /// column type after loading names the user's column, not an internal one.
    /// </summary>
    [Fact]
    public void ErrorsNameTheVideoAndTheUsersColumnWithConstClsTextOnTop()
    {
        var ml = _data.NewContext();
        var missing = Path.Combine(_data.Root, "no-such-video.avi");
        var rows = _data.Videos.Take(4).Append(new VideoRow { VideoPath = missing, Label = _data.Videos[0].Label }).ToArray();
        var pipeline = ml.ConstCl().EmbedVideos(Options(standardize: true))
            .Append(ml.Transforms.Conversion.MapValueToKey("Label"))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Embedding"));
        var error = Assert.ThrowsAny<InvalidOperationException>(() => pipeline.Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.StartsWith($"ConstCl cannot embed the video '{missing}'", error.Message);
        Assert.Contains("does not exist", error.Message);

        var pretraining = ConstClPretrainingEstimatorTests.Options(_data.NewFolder());
        var refused = Assert.ThrowsAny<InvalidOperationException>(() => ml.ConstCl().PretrainVideoEncoder(pretraining).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.StartsWith($"ConstCl cannot embed the video '{missing}'", refused.Message);
        Assert.Empty(Directory.EnumerateFiles(pretraining.CheckpointDirectory!, "*", SearchOption.AllDirectories));   // before any training

        using var transformer = ml.ConstCl().EmbedVideos(Options()).Fit(ml.Data.LoadFromEnumerable(_data.Videos.Take(2)));
        var zip = Path.Combine(_data.NewFolder(), "types.zip");
        ml.Model.Save(transformer, ml.Data.LoadFromEnumerable(rows).Schema, zip);
        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var numeric = ml.Data.LoadFromEnumerable(new[] { new { VideoPath = 1f } });
            var wrongType = Assert.ThrowsAny<Exception>(() => loaded.Transform(numeric));
            Assert.Contains("'VideoPath'", wrongType.Message);
            Assert.DoesNotContain("__constcl", wrongType.Message);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    public sealed class EmbeddingRow
    {
        public float[] Embedding { get; set; } = [];
    }
}

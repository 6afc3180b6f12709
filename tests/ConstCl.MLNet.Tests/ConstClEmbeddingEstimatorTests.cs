using ConstCl.Modeling;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.MLNet.Tests;

/// <summary>Workout of <c>EmbedVideos</c> (as ML.NET's own estimator tests): fit → transform → schema → save → load → same output.</summary>
[Collection(MLNetCollection.Name)]
public sealed class ConstClEmbeddingEstimatorTests
{
    private readonly MLNetTestData _data;

    public ConstClEmbeddingEstimatorTests(MLNetTestData data) => _data = data;

    private ConstClEmbeddingOptions Options(bool skip = false, string column = "VideoPath", BackboneBranch branch = BackboneBranch.Global, bool standardize = true) => new()
    {
        EncoderPath = _data.EncoderPath, ClipCount = 2, CropCount = 1, SkipInvalidVideos = skip, VideoPathColumnName = column, Branch = branch, BatchSize = 6,
        Standardize = standardize,
    };

    /// <summary>With Standardize off the output is the L2-normalised embedding, exactly as before the option existed.</summary>
    [Trait("Category", "Slow")]   // a fresh process
    [Fact]
    public void WorkoutFitTransformSchemaSaveLoadInFreshProcessGivesTheSameEmbeddings()
    {
        var ml = _data.NewContext();
        var rows = _data.Videos.Take(5).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var estimator = ml.ConstCl().EmbedVideos(Options(standardize: false));
        var shape = estimator.GetOutputSchema(Shapes.Of<VideoPathRow>());
        var shapeColumn = Shapes.Find(shape, "Embedding");
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, Shapes.Find(shape, "Label").Kind);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, shapeColumn.Kind);
        Assert.Equal(NumberDataViewType.Single, shapeColumn.ItemType);

        using var transformer = estimator.Fit(data);
        Assert.Null(transformer.Standardization);
        var output = transformer.Transform(data);
        var d = MLNetTestData.Model.Backbone.OutputChannels;
        Assert.Equal(d, transformer.EmbeddingDimension);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, d), output.Schema["Embedding"].Type);
        Assert.Equal(transformer.GetOutputSchema(data.Schema).Select(c => (c.Name, c.Type)), output.Schema.Select(c => (c.Name, c.Type)));
        Assert.Null(output.Schema.GetColumnOrNull(ConstClDefaults.ValidColumnName));
        var inProcess = Assertions.Embeddings(output);
        Assert.Equal(rows.Length, inProcess.Length);
        foreach (var e in inProcess)
        {
            Assertions.UnitNorm(e);
        }

        // Brute force: the encoder applied clip by clip, pooled, averaged, normalised, equals the batched path.
        var reference = ReferenceEmbedding(rows[1].VideoPath, transformer);
        Assertions.Close([reference], [inProcess[1]], 1e-5f);

        // Save in this process; load and transform in a fresh one (ML.NET + ONNX Runtime only).
        var dir = _data.NewFolder();
        var zip = Path.Combine(dir, "embedder.zip");
        ml.Model.Save(transformer, data.Schema, zip);
        var loaded = FreshProcess.Run(zip, ["VideoPath", "Label"], rows.Select(r => new[] { r.VideoPath, r.Label }));
        Assert.Equal($"Vector<Single, {d}>", loaded.Types["Embedding"]);
        Assert.False(loaded.Types.ContainsKey(ConstClDefaults.ValidColumnName));
        Assert.DoesNotContain(loaded.Types.Keys, k => k.StartsWith("__constcl", StringComparison.Ordinal));
        Assertions.Close(inProcess, loaded.Vectors("Embedding"));
    }

    /// <summary>
    /// Standardize (the default): the output is the L2-normalised embedding standardised with the mean and population
    /// std of the rows given to Fit, recomputed here by hand; on those rows each dimension then has mean 0 and std 1;
    /// the numbers travel in the saved model, so a fresh process gives the same values, also for rows Fit never saw.
    /// </summary>
    [Trait("Category", "Slow")]   // a fresh process
    [Fact]
    public void StandardizedEmbeddingsAreTheRawOnesStandardizedOnTheFitRowsInProcessAndInAFreshProcess()
    {
        var ml = _data.NewContext();
        var fitRows = _data.Videos.Take(5).ToArray();
        var allRows = _data.Videos;                                   // the last 3 were not seen by Fit
        var fitData = ml.Data.LoadFromEnumerable(fitRows);
        var allData = ml.Data.LoadFromEnumerable(allRows);
        using var raw = ml.ConstCl().EmbedVideos(Options(standardize: false)).Fit(fitData);
        using var standardized = ml.ConstCl().EmbedVideos(Options()).Fit(fitData);
        var d = MLNetTestData.Model.Backbone.OutputChannels;
        Assert.Equal(d, standardized.EmbeddingDimension);
        Assert.Equal(raw.GetOutputSchema(allData.Schema).Select(c => (c.Name, c.Type)), standardized.GetOutputSchema(allData.Schema).Select(c => (c.Name, c.Type)));
        var output = standardized.Transform(allData);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, d), output.Schema["Embedding"].Type);
        var rawEmbeddings = Assertions.Embeddings(raw.Transform(allData));
        var actual = Assertions.Embeddings(output);

        // By hand, in double: mean and population std of each dimension over the Fit rows.
        var n = fitRows.Length;
        var mean = Enumerable.Range(0, d).Select(j => rawEmbeddings.Take(n).Average(e => (double)e[j])).ToArray();
        var std = Enumerable.Range(0, d).Select(j => Math.Sqrt(rawEmbeddings.Take(n).Average(e => Math.Pow(e[j] - mean[j], 2)))).ToArray();
        Assert.Equal(n, standardized.Standardization!.Count);
        for (var i = 0; i < allRows.Length; i++)
        {
            for (var j = 0; j < d; j++)
            {
                var expected = std[j] < EmbeddingStandardization.MinimumStd ? 0 : (rawEmbeddings[i][j] - mean[j]) / std[j];
                // float32 rounding of the raw value (~0.1) is magnified by 1/std.
                var tolerance = 1e-4 + 1e-6 / Math.Max(std[j], 1e-12);
                Assert.True(Math.Abs(expected - actual[i][j]) <= tolerance, $"row {i}, dimension {j}: expected {expected}, got {actual[i][j]}");
            }
        }

        // Closed form: on the Fit rows every dimension has mean 0 and std 1 (or is constant there and gives 0).
        var live = 0;
        for (var j = 0; j < d; j++)
        {
            var column = actual.Take(n).Select(e => (double)e[j]).ToArray();
            var m = column.Average();
            var s = Math.Sqrt(column.Average(v => (v - m) * (v - m)));
            Assert.InRange(m, -1e-3, 1e-3);
            if (std[j] >= EmbeddingStandardization.MinimumStd)
            {
                Assert.InRange(s, 1 - 1e-3, 1 + 1e-3);
                live++;
            }
            else
            {
                Assert.All(column, v => Assert.Equal(0, v));
            }
        }

        Assert.True(live > d / 4, $"only {live} of {d} dimensions vary over the Fit rows");

        // Saved with the model: a fresh process (ML.NET + ONNX Runtime) gives the same standardised values.
        var zip = Path.Combine(_data.NewFolder(), "standardized.zip");
        ml.Model.Save(standardized, fitData.Schema, zip);
        var loaded = FreshProcess.Run(zip, ["VideoPath", "Label"], allRows.Select(r => new[] { r.VideoPath, r.Label }));
        Assert.Equal($"Vector<Single, {d}>", loaded.Types["Embedding"]);
        Assert.DoesNotContain(loaded.Types.Keys, k => k.StartsWith("__constcl", StringComparison.Ordinal));
        Assertions.CloseStandardized(actual, loaded.Vectors("Embedding"), standardized.Standardization);
    }

    [Fact]
    public void StandardizeNeedsTwoDecodableVideosAndLeavesUndecodableOnesOutOfTheStatistics()
    {
        var ml = _data.NewContext();
        var one = ml.Data.LoadFromEnumerable(_data.Videos.Take(1));
        var error = Assert.Throws<InvalidOperationException>(() => ml.ConstCl().EmbedVideos(Options()).Fit(one));
        Assert.Contains("Standardize", error.Message);
        using (var unstandardized = ml.ConstCl().EmbedVideos(Options(standardize: false)).Fit(one))
        {
            Assert.Null(unstandardized.Standardization);
        }

        // A corrupt video among the Fit rows: strict mode (the default) fails in Fit, naming it, with ConstCl's text on top;
        // with SkipInvalidVideos it is left out of the statistics (with a warning in MLContext.Log).
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) => { lock (messages) { messages.Add(e); } };
        var rows = new[] { _data.Videos[0], new VideoRow { VideoPath = _data.CorruptVideo, Label = "x" }, _data.Videos[5] };
        var strict = Assert.ThrowsAny<InvalidOperationException>(() => ml.ConstCl().EmbedVideos(Options()).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.StartsWith($"ConstCl cannot embed the video '{_data.CorruptVideo}'", strict.Message);
        using var withCorrupt = ml.ConstCl().EmbedVideos(Options(skip: true)).Fit(ml.Data.LoadFromEnumerable(rows));
        using var withoutCorrupt = ml.ConstCl().EmbedVideos(Options(skip: true)).Fit(ml.Data.LoadFromEnumerable(new[] { rows[0], rows[2] }));
        Assert.Equal(2, withCorrupt.Standardization!.Count);
        Assert.Equal(withoutCorrupt.Standardization!.Mean, withCorrupt.Standardization.Mean);
        Assert.Equal(withoutCorrupt.Standardization.Scale, withCorrupt.Standardization.Scale);
        Assert.Contains(messages, m => m.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning && m.RawMessage.Contains(_data.CorruptVideo, StringComparison.Ordinal));
    }

    [Fact]
    public void LocalBranchAndCustomColumnNamesRoundTripInProcessLoad()
    {
        var ml = _data.NewContext();
        var rows = _data.Videos.Skip(2).Take(3).Select(r => new { Clip = r.VideoPath }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = Options(column: "Clip", branch: BackboneBranch.Local);
        options.OutputColumnName = "Features";
        using var transformer = ml.ConstCl().EmbedVideos(options).Fit(data);
        var local = Assertions.Embeddings(transformer.Transform(data), "Features");

        using var global = ml.ConstCl().EmbedVideos(Options(column: "Clip")).Fit(data);
        var globals = Assertions.Embeddings(global.Transform(data));
        Assert.True(local.Zip(globals).Any(p => p.First.Zip(p.Second).Any(q => Math.Abs(q.First - q.Second) > 1e-3)),
            "the Local branch (res5_local) must differ from the Global one");

        _data.SaveLoadAndCheck(ml, transformer, data.Schema, (ml2, model) =>
            Assertions.CloseStandardized(local, Assertions.Embeddings(model.Transform(ml2.Data.LoadFromEnumerable(rows)), "Features"), transformer.Standardization!));
    }

    [Fact]
    public void AnEarlierStageGivesItsNarrowerEmbeddingAndRoundTripsThroughSave()
    {
        var ml = _data.NewContext();
        var rows = _data.Videos.Take(3).Select(r => new { r.VideoPath }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = Options();
        options.Stage = BackboneStage.Res3;
        using var transformer = ml.ConstCl().EmbedVideos(options).Fit(data);
        Assert.Equal(BackboneStage.Res3, transformer.Stage);
        Assert.Equal(64, transformer.EmbeddingDimension);   // Tiny res3: 16 × 4
        var res3 = Assertions.Embeddings(transformer.Transform(data));
        Assert.All(res3, e => Assert.Equal(64, e.Length));

        _data.SaveLoadAndCheck(ml, transformer, data.Schema, (ml2, model) =>
            Assertions.CloseStandardized(res3, Assertions.Embeddings(model.Transform(ml2.Data.LoadFromEnumerable(rows))), transformer.Standardization!));

        options.Stage = (BackboneStage)9;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.ConstCl().EmbedVideos(options));
        Assert.Equal("Stage", e.ParamName);
    }

    [Fact]
    public void BadSchemasThrowAtGetOutputSchemaWithColumnNameAndExpectedType()
    {
        var ml = _data.NewContext();
        var estimator = ml.ConstCl().EmbedVideos(Options());
        var missing = ml.Data.LoadFromEnumerable(new[] { new { Path = "a.avi" } });
        var numeric = ml.Data.LoadFromEnumerable(new[] { new { VideoPath = 1f } });

        var e1 = Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(Shapes.Of<PathRow>()));
        Assert.Contains("'VideoPath'", e1.Message);
        Assert.Contains("String", e1.Message);
        var e2 = Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(Shapes.Of<NumericVideoPathRow>()));
        Assert.Contains("'VideoPath'", e2.Message);
        Assert.Contains("Single", e2.Message);
        Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(missing));

        using var transformer = estimator.Fit(ml.Data.LoadFromEnumerable(_data.Videos.Take(2)));
        var e3 = Assert.ThrowsAny<ArgumentException>(() => transformer.GetOutputSchema(missing.Schema));
        Assert.Contains("'VideoPath'", e3.Message);
        var e4 = Assert.ThrowsAny<ArgumentException>(() => transformer.GetOutputSchema(numeric.Schema));
        Assert.Contains("expected String", e4.Message);
        Assert.ThrowsAny<ArgumentException>(() => transformer.Transform(numeric));

        Assert.Throws<FileNotFoundException>(() => ml.ConstCl().EmbedVideos("Embedding", Path.Combine(_data.Root, "missing.constcl")));
        Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, CropCount = 2 }));
    }

    [Fact]
    public void CorruptVideoThrowsNamingItByDefaultInProcessAndAfterLoading()
    {
        var ml = _data.NewContext();
        var rows = new[] { _data.Videos[0], new VideoRow { VideoPath = _data.CorruptVideo, Label = "x" } };
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(Options()).Fit(ml.Data.LoadFromEnumerable(_data.Videos.Take(3)));
        var inProcess = Assert.ThrowsAny<Exception>(() => Assertions.Embeddings(transformer.Transform(data)));
        Assert.Contains(_data.CorruptVideo, Assertions.AllMessages(inProcess));

        _data.SaveLoadAndCheck(ml, transformer, data.Schema, (ml2, model) =>
        {
            var saved = Assert.ThrowsAny<Exception>(() => Assertions.Embeddings(model.Transform(ml2.Data.LoadFromEnumerable(rows))));
            Assert.Contains(_data.CorruptVideo, Assertions.AllMessages(saved));
        });
    }

    [Trait("Category", "Slow")]   // a fresh process
    [Fact]
    public void CorruptVideoGivesZeroVectorAndInvalidFlagWhenSkipping_InProcessAndInFreshProcess()
    {
        var ml = _data.NewContext();
        var rows = new[] { _data.Videos[0], new VideoRow { VideoPath = _data.CorruptVideo, Label = "x" }, _data.Videos[5] };
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(Options(skip: true)).Fit(data);
        var output = transformer.Transform(data);
        Assert.Equal(BooleanDataViewType.Instance, output.Schema[ConstClDefaults.ValidColumnName].Type);
        var embeddings = Assertions.Embeddings(output);
        var valid = output.GetColumn<bool>(ConstClDefaults.ValidColumnName).ToArray();
        Assert.Equal(new[] { true, false, true }, valid);
        Assert.All(embeddings[1], v => Assert.Equal(0f, v));

        // Standardised over the two valid rows (the skipped one is not in the statistics): each value is −1, 0 or +1,
        // and the two rows are opposite.
        Assert.Equal(2, transformer.Standardization!.Count);
        var scale = transformer.Standardization.Scale;
        Assert.All(Enumerable.Range(0, scale.Length), j =>
        {
            // float32 rounding of the raw values (~0.1) is magnified by 1/std = scale.
            var allowed = 1e-4 + 1e-7 * scale[j];
            Assert.True(scale[j] == 0 ? embeddings[0][j] == 0 : Math.Abs(Math.Abs(embeddings[0][j]) - 1) <= allowed, $"dimension {j}: {embeddings[0][j]}");
            Assert.True(Math.Abs(embeddings[0][j] + embeddings[2][j]) <= allowed, $"dimension {j}: {embeddings[0][j]} vs {embeddings[2][j]}");
        });

        var zip = Path.Combine(_data.NewFolder(), "skip.zip");
        ml.Model.Save(transformer, data.Schema, zip);
        var loaded = FreshProcess.Run(zip, ["VideoPath", "Label"], rows.Select(r => new[] { r.VideoPath, r.Label }));
        Assert.Equal(valid, loaded.Booleans(ConstClDefaults.ValidColumnName));
        Assertions.CloseStandardized(embeddings, loaded.Vectors("Embedding"), transformer.Standardization);
    }

    /// <summary>The embedding re-computed one clip at a time with the backbone, then averaged and normalised by hand.</summary>
    private float[] ReferenceEmbedding(string video, ConstClVideoEmbeddingTransformer transformer)
    {
        var (data, shape) = ConstCl.Embedding.EvaluationClips.Prepare(video, transformer.Settings.Spec.Clips);
        using var contents = ConstCl.Checkpoints.EncoderFile.Load(_data.EncoderPath);
        using var backbone = ResNet3dY.Create(MLNetTestData.Model.Backbone, new Generator(0));
        contents.LoadInto(backbone);
        backbone.eval();
        using var noGrad = torch.no_grad();
        var clipLength = (int)(data.Length / shape[0]);
        var sum = new double[backbone.OutputChannels];
        for (var k = 0; k < shape[0]; k++)
        {
            using var clip = torch.tensor(data.AsSpan(k * clipLength, clipLength).ToArray(), [1, shape[1], shape[2], shape[3], shape[4]]);
            using var features = backbone.ForwardBranch(clip, BackboneBranch.Global);
            using var pooled = features.mean([2, 3, 4]);
            var values = pooled.data<float>().ToArray();
            for (var c = 0; c < sum.Length; c++)
            {
                sum[c] += values[c] / shape[0];
            }
        }

        var norm = Math.Max(Math.Sqrt(sum.Sum(x => x * x)), 1e-12);
        return sum.Select(x => (float)(x / norm)).ToArray();
    }
}

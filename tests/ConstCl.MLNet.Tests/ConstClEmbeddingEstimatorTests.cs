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

    private ConstClEmbeddingOptions Options(bool skip = false, string column = "VideoPath", BackboneBranch branch = BackboneBranch.Global) => new()
    {
        EncoderPath = _data.EncoderPath, Clips = 2, Crops = 1, SkipInvalidVideos = skip, VideoPathColumnName = column, Branch = branch, BatchSize = 3,
    };

    [Fact]
    public void WorkoutFitTransformSchemaSaveLoadInFreshProcessGivesTheSameEmbeddings()
    {
        var ml = _data.NewContext();
        var rows = _data.Videos.Take(5).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var estimator = ml.ConstCl().EmbedVideos(Options());
        var shape = estimator.GetOutputSchema(Shapes.Of<VideoPathRow>());
        var shapeColumn = Shapes.Find(shape, "Embedding");
        Assert.Equal(SchemaShape.Column.VectorKind.Scalar, Shapes.Find(shape, "Label").Kind);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, shapeColumn.Kind);
        Assert.Equal(NumberDataViewType.Single, shapeColumn.ItemType);

        using var transformer = estimator.Fit(data);
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

        var zip = Path.Combine(_data.NewFolder(), "local.zip");
        ml.Model.Save(transformer, data.Schema, zip);
        var ml2 = _data.NewContext();
        ml2.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
        var model = ml2.Model.Load(zip, out _);
        try
        {
            Assertions.Close(local, Assertions.Embeddings(model.Transform(ml2.Data.LoadFromEnumerable(rows)), "Features"));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
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

        using var transformer = estimator.Fit(ml.Data.LoadFromEnumerable(_data.Videos.Take(1)));
        var e3 = Assert.ThrowsAny<ArgumentException>(() => transformer.GetOutputSchema(missing.Schema));
        Assert.Contains("'VideoPath'", e3.Message);
        var e4 = Assert.ThrowsAny<ArgumentException>(() => transformer.GetOutputSchema(numeric.Schema));
        Assert.Contains("expected String", e4.Message);
        Assert.ThrowsAny<ArgumentException>(() => transformer.Transform(numeric));

        Assert.Throws<FileNotFoundException>(() => ml.ConstCl().EmbedVideos(Path.Combine(_data.Root, "missing.constcl")));
        Assert.ThrowsAny<ArgumentException>(() => ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, Crops = 2 }));
    }

    [Fact]
    public void CorruptVideoThrowsNamingItByDefaultInProcessAndAfterLoading()
    {
        var ml = _data.NewContext();
        var rows = new[] { _data.Videos[0], new VideoRow { VideoPath = _data.CorruptVideo, Label = "x" } };
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(Options()).Fit(data);
        var inProcess = Assert.ThrowsAny<Exception>(() => Assertions.Embeddings(transformer.Transform(data)));
        Assert.Contains(_data.CorruptVideo, Assertions.AllMessages(inProcess));

        var zip = Path.Combine(_data.NewFolder(), "strict.zip");
        ml.Model.Save(transformer, data.Schema, zip);
        var ml2 = _data.NewContext();
        ml2.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
        var model = ml2.Model.Load(zip, out _);
        try
        {
            var saved = Assert.ThrowsAny<Exception>(() => Assertions.Embeddings(model.Transform(ml2.Data.LoadFromEnumerable(rows))));
            Assert.Contains(_data.CorruptVideo, Assertions.AllMessages(saved));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }

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
        Assertions.UnitNorm(embeddings[0]);
        Assertions.UnitNorm(embeddings[2]);

        var zip = Path.Combine(_data.NewFolder(), "skip.zip");
        ml.Model.Save(transformer, data.Schema, zip);
        var loaded = FreshProcess.Run(zip, ["VideoPath", "Label"], rows.Select(r => new[] { r.VideoPath, r.Label }));
        Assert.Equal(valid, loaded.Booleans(ConstClDefaults.ValidColumnName));
        Assertions.Close(embeddings, loaded.Vectors("Embedding"));
    }

    /// <summary>The embedding re-computed one clip at a time with the backbone, then averaged and normalised by hand.</summary>
    private float[] ReferenceEmbedding(string video, ConstClVideoEmbeddingTransformer transformer)
    {
        var (data, shape) = ConstCl.Embedding.EvaluationClips.Prepare(video, transformer.Settings.Spec.ToCore());
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

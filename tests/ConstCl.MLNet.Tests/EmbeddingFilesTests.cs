using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet.Tests;

[Collection(MLNetCollection.Name)]
public sealed class EmbeddingFilesTests
{
    private readonly MLNetTestData _data;

    public EmbeddingFilesTests(MLNetTestData data) => _data = data;

    [Fact]
    public void EmbeddingsRoundTripThroughIdvWithTheirVectorSize()
    {
        var ml = _data.NewContext();
        var data = ml.Data.LoadFromEnumerable(_data.Videos.Take(3));
        using var transformer = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, ClipCount = 1, CropCount = 1 }).Fit(data);
        var output = transformer.Transform(data);
        var path = Path.Combine(_data.NewFolder(), "sub", "embeddings.idv");
        EmbeddingFiles.SaveAsBinary(ml, output, path, "VideoPath", "Label", "Embedding");

        var back = EmbeddingFiles.Load(ml, path);
        Assert.Equal(new[] { "VideoPath", "Label", "Embedding" }, back.Schema.Select(c => c.Name));
        Assert.Equal(output.Schema["Embedding"].Type, back.Schema["Embedding"].Type);
        Assertions.Close(Assertions.Embeddings(output), Assertions.Embeddings(back), 0f);
        Assert.Equal(_data.Videos.Take(3).Select(v => v.VideoPath), back.GetColumn<string>("VideoPath"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }

    [Fact]
    public void LoadRefusesAFileWhoseEmbeddingIsNotAKnownSizeFloatVector()
    {
        var ml = _data.NewContext();
        var folder = _data.NewFolder();

        // A variable-length float column (what LoadFromEnumerable makes of float[] without a size) cannot feed a trainer.
        var ragged = ml.Data.LoadFromEnumerable(new[] { new RaggedRow { Embedding = [1f, 2f] }, new RaggedRow { Embedding = [3f] } });
        var raggedPath = Path.Combine(folder, "ragged.idv");
        EmbeddingFiles.SaveAsBinary(ml, ragged, raggedPath);
        var error = Assert.Throws<InvalidDataException>(() => EmbeddingFiles.Load(ml, raggedPath));
        Assert.Contains("column 'Embedding'", error.Message, StringComparison.Ordinal);
        Assert.Contains("known-size vector of Single", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, EmbeddingFiles.Load(ml, raggedPath, embeddingColumn: null).GetColumn<float[]>("Embedding").Count());

        var missing = Assert.Throws<InvalidDataException>(() => EmbeddingFiles.Load(ml, raggedPath, "Features"));
        Assert.Contains("no column 'Features'", missing.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => EmbeddingFiles.Load(ml, Path.Combine(folder, "absent.idv")));

        // Asking to keep a column that is not there names it and writes nothing.
        var columnError = Assert.Throws<ArgumentException>(() => EmbeddingFiles.SaveAsBinary(ml, ragged, Path.Combine(folder, "x.idv"), "VideoPath"));
        Assert.Contains("'VideoPath'", columnError.Message, StringComparison.Ordinal);
        Assert.Equal(["ragged.idv"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    private sealed class RaggedRow
    {
        public float[] Embedding { get; set; } = [];
    }
}

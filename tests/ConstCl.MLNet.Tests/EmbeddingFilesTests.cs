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
        using var transformer = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, Clips = 1, Crops = 1 }).Fit(data);
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
}

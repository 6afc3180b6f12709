using Microsoft.ML;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// The ML.NET components honour <c>MLContext.GpuDeviceId</c> and <c>FallbackToCpu</c> (issue 13). This machine has no
/// CUDA build of libtorch, so a GPU request must either fail naming the package or, with the fallback, run on the CPU
/// and say so through <c>MLContext.Log</c>; the saved model (ONNX Runtime) must load and score the same way.
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class GpuContextTests
{
    private readonly MLNetTestData _data;

    public GpuContextTests(MLNetTestData data) => _data = data;

    [Fact]
    public void AGpuTheBackEndCannotRunFailsNamingThePackageWithoutFallback()
    {
        var ml = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = false, TempFilePath = _data.NewFolder() };
        var ex = Assert.Throws<InvalidOperationException>(() => ml.ConstCl().EmbedVideos("Embedding", _data.EncoderPath));
        Assert.Contains("TorchSharp-cuda", ex.Message);
    }

    [Fact]
    public void WithFallbackTheGpuRequestRunsOnTheCpuSaysSoAndTheSavedModelScores()
    {
        var ml = new MLContext(seed: 1) { GpuDeviceId = 0, FallbackToCpu = true, TempFilePath = _data.NewFolder() };
        var messages = new List<string>();
        ml.Log += (_, e) =>
        {
            lock (messages)
            {
                messages.Add(e.Message);
            }
        };
        var rows = _data.Videos.Take(2).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, ClipCount = 1, CropCount = 1, Standardize = false }).Fit(data);
        var inProcess = Assertions.Embeddings(transformer.Transform(data));
        lock (messages)
        {
            Assert.Contains(messages, m => m.Contains("MLContext.GpuDeviceId = 0") && m.Contains("Running on the CPU"));
        }

        // Saving builds the ONNX chain: ONNX Runtime here has no CUDA provider either, so that falls back with a warning too.
        var path = Path.Combine(_data.NewFolder(), "gpu-context.zip");
        ml.Model.Save(transformer, data.Schema, path);
        lock (messages)
        {
            Assert.Contains(messages, m => m.Contains("no CUDA provider") && m.Contains("scores on the CPU"));
        }

        var loaded = new MLContext(seed: 1).Model.Load(path, out _);   // where it is served: a context without a GPU
        Assertions.Close(inProcess, Assertions.Embeddings(loaded.Transform(data)), 1e-4f);
    }
}

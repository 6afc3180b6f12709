using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Data;

/// <summary>Tiny loader settings and sources shared by the loader tests (32×32, 8 frames, batch 2).</summary>
internal static class LoaderTestData
{
    public static LoaderOptions Tiny(int seed = 7, int threads = 1) => new()
    {
        Frames = 8,
        Stride = 2,
        Size = 32,
        BatchSize = 2,
        DecodeThreads = threads,
        PrefetchBatches = 2,
        Seed = seed,
    };

    /// <summary>Six synthetic videos of 20 frames, 40×40, rendered in memory.</summary>
    public static InMemoryFrameProvider Synthetic(int classes = 3, int perClass = 2) =>
        InMemoryFrameProvider.FromSynthetic(
            new SyntheticActions(new SyntheticActionsOptions { Classes = classes, VideosPerClass = perClass, Frames = 20, Size = 40, Seed = 3 }),
            subset: null);

    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "constcl-loader-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Every value of every tensor of a batch, for exact comparisons.</summary>
    public static (float[] A, float[] B, float[] BoxA, float[] BoxB, bool[] MaskA, bool[] MaskB, long[] TA, long[] TB, string[] Paths) Snapshot(PretrainingBatch batch)
    {
        var x = batch.Input;
        return (x.ViewA.data<float>().ToArray(), x.ViewB.data<float>().ToArray(),
            x.BoxesA.data<float>().ToArray(), x.BoxesB.data<float>().ToArray(),
            x.MaskA!.data<bool>().ToArray(), x.MaskB!.data<bool>().ToArray(),
            x.FrameTimesA!.data<long>().ToArray(), x.FrameTimesB!.data<long>().ToArray(),
            batch.VideoPaths.ToArray());
    }

    public static void AssertSame(PretrainingBatch expected, PretrainingBatch actual)
    {
        var e = Snapshot(expected);
        var a = Snapshot(actual);
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.Epoch, actual.Epoch);
        Assert.Equal(e.Paths, a.Paths);
        Assert.Equal(e.A, a.A);
        Assert.Equal(e.B, a.B);
        Assert.Equal(e.BoxA, a.BoxA);
        Assert.Equal(e.BoxB, a.BoxB);
        Assert.Equal(e.MaskA, a.MaskA);
        Assert.Equal(e.MaskB, a.MaskB);
        Assert.Equal(e.TA, a.TA);
        Assert.Equal(e.TB, a.TB);
    }

    /// <summary>Reads <paramref name="count"/> batches from a fresh loader and keeps their values.</summary>
    public static List<(float[] A, float[] B, float[] BoxA, float[] BoxB, bool[] MaskA, bool[] MaskB, long[] TA, long[] TB, string[] Paths)> Run(
        IVideoFrameProvider provider, LoaderOptions options, int count)
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        var list = new List<(float[], float[], float[], float[], bool[], bool[], long[], long[], string[])>();
        using var source = new PrefetchingBatchSource(provider, options);
        for (int k = 0; k < count; k++)
        {
            using PretrainingBatch batch = source.Next();
            Assert.Equal(k, batch.Index);
            list.Add(Snapshot(batch));
        }

        return list;
    }
}

/// <summary>Wraps a provider and sleeps before every read (a slow decoder), counting reads.</summary>
internal sealed class SlowFrameProvider(IVideoFrameProvider inner, TimeSpan delay) : IVideoFrameProvider
{
    private int _reads;

    public int Reads => _reads;

    public int Count => inner.Count;

    public string KeyOf(int index) => inner.KeyOf(index);

    public int CountFrames(int index) => inner.CountFrames(index);

    public FrameSequence ReadFrames(int index, IReadOnlyList<int> frameIndices)
    {
        Thread.Sleep(delay);
        Interlocked.Increment(ref _reads);
        return inner.ReadFrames(index, frameIndices);
    }
}

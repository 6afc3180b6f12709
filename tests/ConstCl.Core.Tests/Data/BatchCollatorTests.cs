using ConstCl.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Data;

public class BatchCollatorTests
{
    [Fact]
    public void BatchHasTheModelInputShapesDtypesAndRanges()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        using var source = new PrefetchingBatchSource(LoaderTestData.Synthetic(), LoaderTestData.Tiny());
        using PretrainingBatch batch = source.Next();
        var x = batch.Input;

        Assert.Equal(new long[] { 2, 3, 8, 32, 32 }, x.ViewA.shape);
        Assert.Equal(new long[] { 2, 3, 8, 32, 32 }, x.ViewB.shape);
        Assert.Equal(new long[] { 2, 8, 8, 4 }, x.BoxesA.shape);
        Assert.Equal(new long[] { 2, 8, 8, 4 }, x.BoxesB.shape);
        Assert.Equal(new long[] { 2, 8, 8 }, x.MaskA!.shape);
        Assert.Equal(new long[] { 2, 8, 8 }, x.MaskB!.shape);
        Assert.Equal(new long[] { 2, 8 }, x.FrameTimesA!.shape);
        Assert.Equal(new long[] { 2, 8 }, x.FrameTimesB!.shape);
        Assert.Equal(ScalarType.Float32, x.ViewA.dtype);
        Assert.Equal(ScalarType.Float32, x.BoxesA.dtype);
        Assert.Equal(ScalarType.Bool, x.MaskA.dtype);
        Assert.Equal(ScalarType.Int64, x.FrameTimesA.dtype);

        var a = LoaderTestData.Snapshot(batch);
        Assert.All(a.A.Concat(a.B), v => Assert.InRange(v, -1f, 1f));
        // Real images, not a constant: both ends of the range are approached.
        Assert.True(a.A.Min() < -0.5f && a.A.Max() > 0.5f, $"view A spans [{a.A.Min()}, {a.A.Max()}]");
        foreach (float[] boxes in new[] { a.BoxA, a.BoxB })
        {
            for (int i = 0; i < boxes.Length; i += 4)
            {
                Assert.InRange(boxes[i], 0f, 1f);
                Assert.InRange(boxes[i + 3], 0f, 1f);
                Assert.True(boxes[i] < boxes[i + 2] && boxes[i + 1] < boxes[i + 3], $"box {i / 4} is not well formed");
            }
        }

        Assert.All(a.MaskA, Assert.True); // random boxes are all valid
        // CVRL clips: consecutive frames are `stride` apart modulo the 20-frame video (closed form of the sampler).
        foreach (long[] times in new[] { a.TA, a.TB })
        {
            for (int b = 0; b < 2; b++)
            {
                for (int t = 1; t < 8; t++)
                {
                    Assert.Equal(2, (int)(((times[(b * 8) + t] - times[(b * 8) + t - 1]) % 20 + 20) % 20));
                }
            }
        }
    }

    [Fact]
    public void CollatorConcatenatesSamplesInOrder()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        TwoViewSample Make(int seed)
        {
            var r = new Random(seed);
            float[] F(int n) => Enumerable.Range(0, n).Select(_ => r.NextSingle()).ToArray();
            bool[] M(int n) => Enumerable.Range(0, n).Select(_ => r.Next(2) == 1).ToArray();
            long[] L(int n) => Enumerable.Range(0, n).Select(_ => (long)r.Next(100)).ToArray();
            return new TwoViewSample(seed, $"v{seed}", 2, 4, 3, F(3 * 2 * 4 * 4), F(3 * 2 * 4 * 4), F(2 * 3 * 4), F(2 * 3 * 4), M(6), M(6), L(2), L(2));
        }

        var samples = new[] { Make(1), Make(2), Make(3) };
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (PretrainingBatch batch = BatchCollator.Collate(samples, 5, 1))
        {
            Assert.Equal(5, batch.Index);
            Assert.Equal(1, batch.Epoch);
            Assert.Equal(new[] { "v1", "v2", "v3" }, batch.VideoPaths);
            Assert.Equal(new long[] { 3, 3, 2, 4, 4 }, batch.Input.ViewB.shape);
            // Brute force: element [b, c, t, y, x] is sample b's value at c·T·H·W + t·H·W + y·W + x.
            float[] viewB = batch.Input.ViewB.data<float>().ToArray();
            for (int b = 0; b < 3; b++)
            {
                for (int i = 0; i < 96; i++)
                {
                    Assert.Equal(samples[b].ViewB[i], viewB[(b * 96) + i]);
                }
            }

            Assert.Equal(samples.SelectMany(s => s.BoxesA), batch.Input.BoxesA.data<float>().ToArray());
            Assert.Equal(samples.SelectMany(s => s.MaskB), batch.Input.MaskB!.data<bool>().ToArray());
            Assert.Equal(samples.SelectMany(s => s.FrameTimesA), batch.Input.FrameTimesA!.data<long>().ToArray());
            Assert.Equal(live + 8, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void MismatchedSamplesAreRejectedWithTheVideoName()
    {
        var a = new TwoViewSample(0, "a", 1, 2, 1, new float[12], new float[12], new float[4], new float[4], new bool[1], new bool[1], new long[1], new long[1]);
        var b = a with { VideoKey = "b", Size = 3, ViewA = new float[27], ViewB = new float[27] };
        var e = Assert.Throws<ArgumentException>(() => BatchCollator.Collate(new[] { a, b }, 0, 0));
        Assert.Contains("'b'", e.Message);
    }
}

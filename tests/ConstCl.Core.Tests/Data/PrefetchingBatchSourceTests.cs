using System.Diagnostics;
using ConstCl.Data;
using TorchSharp;

namespace ConstCl.Core.Tests.Data;

public class PrefetchingBatchSourceTests
{
    [Fact]
    public void SameSeedGivesIdenticalBatchesWithOneOrTwoDecodeThreads()
    {
        var provider = LoaderTestData.Synthetic();
        var one = LoaderTestData.Run(provider, LoaderTestData.Tiny(threads: 1), 5);
        var two = LoaderTestData.Run(provider, LoaderTestData.Tiny(threads: 2) with { PrefetchBatches = 4 }, 5);
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(one[k].Paths, two[k].Paths);
            Assert.Equal(one[k].A, two[k].A);
            Assert.Equal(one[k].B, two[k].B);
            Assert.Equal(one[k].BoxA, two[k].BoxA);
            Assert.Equal(one[k].BoxB, two[k].BoxB);
            Assert.Equal(one[k].TA, two[k].TA);
            Assert.Equal(one[k].TB, two[k].TB);
        }
    }

    [Fact]
    public void BatchAfterSeekEqualsTheBatchOfAFreshRun()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        var provider = LoaderTestData.Synthetic();
        var options = LoaderTestData.Tiny();
        var fresh = LoaderTestData.Run(provider, options, 6);

        using (var resumed = new PrefetchingBatchSource(provider, options))
        {
            resumed.Seek(3); // resume before the first batch, as a restarted run does
            using PretrainingBatch third = resumed.Next();
            Assert.Equal(fresh[3].A, LoaderTestData.Snapshot(third).A);
            Assert.Equal(fresh[3].Paths, LoaderTestData.Snapshot(third).Paths);
        }

        using var source = new PrefetchingBatchSource(provider, options);
        using (var first = source.Next())
        {
            Assert.Equal(fresh[0].A, LoaderTestData.Snapshot(first).A);
        }

        foreach (long k in new long[] { 4, 1, 5 })
        {
            source.Seek(k);
            Assert.Equal(k, source.Position);
            using PretrainingBatch batch = source.Next();
            Assert.Equal(k, batch.Index);
            Assert.Equal(k + 1, source.Position);
            var s = LoaderTestData.Snapshot(batch);
            Assert.Equal(fresh[(int)k].Paths, s.Paths);
            Assert.Equal(fresh[(int)k].A, s.A);
            Assert.Equal(fresh[(int)k].B, s.B);
            Assert.Equal(fresh[(int)k].BoxB, s.BoxB);
            Assert.Equal(fresh[(int)k].TB, s.TB);
        }
    }

    [Fact]
    public void DifferentSeedsGiveDifferentBatches()
    {
        var provider = LoaderTestData.Synthetic();
        var a = LoaderTestData.Run(provider, LoaderTestData.Tiny(seed: 1), 1)[0];
        var b = LoaderTestData.Run(provider, LoaderTestData.Tiny(seed: 2), 1)[0];
        Assert.NotEqual(a.A, b.A);
        Assert.NotEqual(a.BoxA, b.BoxA);
    }

    [Fact]
    public void AnEpochVisitsEveryVideoOnceAndBatchesMayStraddleEpochs()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        var provider = LoaderTestData.Synthetic(classes: 5, perClass: 1); // 5 videos, batch 2
        using var source = new PrefetchingBatchSource(provider, LoaderTestData.Tiny());
        Assert.Equal(5, source.VideosPerEpoch);
        var seen = new List<(string Path, int Epoch)>();
        for (int k = 0; k < 5; k++)
        {
            using PretrainingBatch batch = source.Next();
            Assert.Equal(k * 2 / 5, batch.Epoch); // the epoch of the batch's first position
            seen.AddRange(batch.VideoPaths.Select(p => (p, 0)));
        }

        var keys = Enumerable.Range(0, 5).Select(provider.KeyOf).Order().ToArray();
        // Positions 0..4 are epoch 0, 5..9 epoch 1: each a permutation of the five videos.
        Assert.Equal(keys, seen.Take(5).Select(s => s.Path).Order().ToArray());
        Assert.Equal(keys, seen.Skip(5).Select(s => s.Path).Order().ToArray());
        Assert.NotEqual(seen.Take(5).Select(s => s.Path), seen.Skip(5).Select(s => s.Path)); // epochs are reshuffled
    }

    [Fact]
    public void EpochOrderIsAPermutationPerEpoch()
    {
        var order = new EpochOrder(37, seed: 11);
        for (long e = 0; e < 3; e++)
        {
            var videos = Enumerable.Range(0, 37).Select(i => order.VideoAt((e * 37) + i)).ToArray();
            Assert.Equal(Enumerable.Range(0, 37), videos.Order());
        }

        Assert.Equal(order.Permutation(1), new EpochOrder(37, seed: 11).Permutation(1));
        Assert.NotEqual(order.Permutation(0), order.Permutation(1));
    }

    [Fact]
    public void WaitTimeIsMeasuredWhenWorkersAreSlow()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        var slow = new SlowFrameProvider(LoaderTestData.Synthetic(), TimeSpan.FromMilliseconds(40));
        var wall = Stopwatch.StartNew();
        using var source = new PrefetchingBatchSource(slow, LoaderTestData.Tiny());
        Assert.Equal(TimeSpan.Zero, source.WaitTime);
        for (int k = 0; k < 2; k++)
        {
            using var batch = source.Next();
        }

        wall.Stop();
        Assert.True(source.WaitTime > TimeSpan.Zero, "no wait was measured although every read sleeps");
        Assert.True(source.WaitTime <= wall.Elapsed, $"wait {source.WaitTime} exceeds the wall time {wall.Elapsed}");
    }

    [Fact]
    public void DisposeWhileWorkersAreBusyReturnsAndStopsEveryWorker()
    {
        var slow = new SlowFrameProvider(LoaderTestData.Synthetic(), TimeSpan.FromMilliseconds(300));
        var source = new PrefetchingBatchSource(slow, LoaderTestData.Tiny(threads: 2) with { PrefetchBatches = 8 });
        SpinWait.SpinUntil(() => source.Workers.All(t => t.ThreadState.HasFlag(System.Threading.ThreadState.WaitSleepJoin)), TimeSpan.FromSeconds(5));
        var clock = Stopwatch.StartNew();
        source.Dispose();
        clock.Stop();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Dispose took {clock.Elapsed}");
        Assert.All(source.Workers, t => Assert.False(t.IsAlive, $"{t.Name} is still running"));
        Assert.Throws<ObjectDisposedException>(() => source.Next());
        source.Dispose(); // idempotent
    }

    [Fact]
    public void NextThrowsWhenTheTokenIsCancelledWhileWaiting()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        var slow = new SlowFrameProvider(LoaderTestData.Synthetic(), TimeSpan.FromMilliseconds(600));
        using var source = new PrefetchingBatchSource(slow, LoaderTestData.Tiny());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => source.Next(cts.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
        Assert.Equal(0, source.Position);
    }

    [Fact]
    public void LiveTensorCountStaysFlatAcrossManyBatches()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        using var source = new PrefetchingBatchSource(LoaderTestData.Synthetic(), LoaderTestData.Tiny());
        using (source.Next())
        {
        }

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int k = 0; k < 25; k++)
        {
            using PretrainingBatch batch = source.Next();
            Assert.Equal(before + 8, DisposeScopeManager.Statistics.ThreadTotalLiveCount); // the batch's 8 tensors
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void SegmentationBoxesAreProposedOnTheAugmentedClip()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        var options = LoaderTestData.Tiny() with { RegionProposer = RegionProposerKind.Slic, BoxesPerFrame = 4 };
        var run = LoaderTestData.Run(LoaderTestData.Synthetic(), options, 1)[0];
        Assert.Equal(2 * 8 * 4 * 4, run.BoxA.Length);
        Assert.Contains(true, run.MaskA);
        for (int i = 0; i < run.BoxA.Length; i += 4)
        {
            Assert.True(run.BoxA[i] >= 0 && run.BoxA[i + 2] <= 1 && run.BoxA[i] < run.BoxA[i + 2], $"box {i / 4}");
        }

        // Repeating the run gives the same boxes (segmentation is deterministic, the crop comes from the seeded stream).
        Assert.Equal(run.BoxA, LoaderTestData.Run(LoaderTestData.Synthetic(), options, 1)[0].BoxA);
    }
}

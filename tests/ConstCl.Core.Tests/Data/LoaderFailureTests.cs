using ConstCl.Core.Tests.Video;
using ConstCl.Data;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Data;

public sealed class LoaderFailureTests : IDisposable
{
    private readonly string _dir = LoaderTestData.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Six real MJPG videos (64×48, 24 frames), a random-bytes .avi and a missing path: 8 videos, 2 bad.</summary>
    private string[] Dataset()
    {
        var paths = Enumerable.Range(0, 6).Select(i => TestVideos.Write(_dir, $"good{i}.avi", "MJPG", frames: 24)).ToList();
        string noise = Path.Combine(_dir, "noise.avi");
        var bytes = new byte[4096];
        new Random(5).NextBytes(bytes);
        File.WriteAllBytes(noise, bytes);
        paths.Insert(2, noise);
        paths.Insert(5, Path.Combine(_dir, "missing.avi"));
        return paths.ToArray();
    }

    [Fact]
    public void BadVideosAreReportedAndDeterministicallyReplaced()
    {
        string[] paths = Dataset();
        string report = Path.Combine(_dir, "run", "skipped.jsonl");
        var options = LoaderTestData.Tiny() with { SkipReportPath = report, FailureBudgetFraction = 0.25 };
        // One full epoch (8 positions = 4 batches of 2) meets both bad videos.
        var one = LoaderTestData.Run(new FileFrameProvider(paths, options.DecodeOptions), options, 4);

        var used = one.SelectMany(b => b.Paths).ToArray();
        Assert.Equal(8, used.Length);
        Assert.DoesNotContain(paths[2], used);
        Assert.DoesNotContain(paths[5], used);
        Assert.All(used, p => Assert.StartsWith(Path.Combine(_dir, "good"), p));
        Assert.Equal(6, used.Distinct().Count()); // every good video at its scheduled position; the replacements repeat good ones

        IReadOnlyList<SkipRecord> records = SkipReport.Load(report);
        Assert.Equal(2, records.Count);
        var byPath = records.ToDictionary(r => r.Path);
        Assert.Equal(VideoErrorKind.NotAVideo, byPath[paths[2]].Kind);
        Assert.Equal(VideoErrorKind.Missing, byPath[paths[5]].Kind);
        Assert.All(records, r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        Assert.All(records, r => Assert.InRange(r.TimeUtc, DateTime.UtcNow.AddMinutes(-10), DateTime.UtcNow.AddMinutes(1)));

        // The replacements are a function of (seed, position, attempt): two threads give the same batches.
        var two = LoaderTestData.Run(new FileFrameProvider(paths, options.DecodeOptions), options with { DecodeThreads = 2 }, 4);
        for (int k = 0; k < 4; k++)
        {
            Assert.Equal(one[k].Paths, two[k].Paths);
            Assert.Equal(one[k].A, two[k].A);
            Assert.Equal(one[k].BoxB, two[k].BoxB);
        }
    }

    [Fact]
    public void ExceedingTheFailureBudgetStopsWithAClearMessage()
    {
        string[] paths = Dataset();
        string report = Path.Combine(_dir, "skipped.jsonl");
        var options = LoaderTestData.Tiny() with { SkipReportPath = report, FailureBudgetFraction = 0.1 }; // ⌊0.8⌋ = 0 tolerated
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        using var source = new PrefetchingBatchSource(new FileFrameProvider(paths, options.DecodeOptions), options);
        var error = Assert.Throws<FailureBudgetExceededException>(() =>
        {
            for (int k = 0; k < 4; k++)
            {
                using var batch = source.Next();
            }
        });
        Assert.Contains("1 of 8 videos failed to decode", error.Message);
        Assert.Contains("failure budget of 0", error.Message);
        Assert.Contains(report, error.Message);
        Assert.Single(SkipReport.Load(report));
        // The failed batch stays at the head: asking again reports the same error instead of skipping data.
        Assert.Throws<FailureBudgetExceededException>(() => source.Next());
    }

    [Fact]
    public void SlotGivesUpAfterMaxAttemptsWhenEveryVideoFails()
    {
        string[] paths = Enumerable.Range(0, 4).Select(i => Path.Combine(_dir, $"gone{i}.avi")).ToArray();
        var options = LoaderTestData.Tiny() with { FailureBudgetFraction = 1.0, MaxReplacementAttempts = 3 };
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        using var source = new PrefetchingBatchSource(new FileFrameProvider(paths, options.DecodeOptions), options);
        var error = Assert.Throws<InvalidOperationException>(() => source.Next());
        Assert.Contains("3 videos in a row could not be read", error.Message);
        Assert.InRange(source.SkipReport.Count, 1, 3);
        Assert.All(source.SkipReport.Records, r => Assert.Equal(VideoErrorKind.Missing, r.Kind));
    }
}

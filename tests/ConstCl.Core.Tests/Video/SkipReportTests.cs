using ConstCl.Video;

namespace ConstCl.Core.Tests.Video;

public sealed class SkipReportTests : IDisposable
{
    private readonly string _dir = TestVideos.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public void Concurrent_failures_are_all_recorded_and_flushed_atomically()
    {
        var path = Path.Combine(_dir, "sub", "skipped.jsonl");
        var report = new SkipReport(path);
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            report.Add(new VideoDecodeException((VideoErrorKind)(i % 7), $"v{i}.avi", $"reason {i}")));
        report.Flush();

        Assert.Equal(200, report.Count);
        var loaded = SkipReport.Load(path);
        Assert.Equal(200, loaded.Count);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"v{i}.avi").Order(), loaded.Select(r => r.Path).Order());
        var r17 = loaded.Single(r => r.Path == "v17.avi");
        Assert.Equal((VideoErrorKind)(17 % 7), r17.Kind);
        Assert.Contains("reason 17", r17.Message);
        Assert.Equal(DateTimeKind.Utc, r17.TimeUtc.Kind);
        Assert.Contains("\"kind\":\"" + r17.Kind + "\"", File.ReadLines(path).First(l => l.Contains("v17.avi")));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!)); // no temp file left behind
    }

    [Fact]
    public void Failure_budget_allows_five_percent_then_stops_with_a_clear_message()
    {
        var path = Path.Combine(_dir, "skips.jsonl");
        var budget = new FailureBudget(100, new SkipReport(path));
        Assert.Equal(5, budget.MaxFailures);
        for (int i = 0; i < 5; i++)
        {
            budget.RecordFailure(new VideoDecodeException(VideoErrorKind.Truncated, $"v{i}.avi", "cut"));
        }

        var e = Assert.Throws<FailureBudgetExceededException>(() => budget.RecordFailure(new VideoDecodeException(VideoErrorKind.NotAVideo, "v5.avi", "noise")));
        Assert.Equal(6, e.Failures);
        Assert.Equal(5, e.MaxFailures);
        Assert.Contains("6 of 100", e.Message);
        Assert.Contains("budget of 5", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Equal(6, SkipReport.Load(path).Count); // flushed before throwing

        Assert.Equal(0, new FailureBudget(19, new SkipReport()).MaxFailures); // ⌊0.05·19⌋ = 0
        Assert.Throws<ArgumentOutOfRangeException>(() => new FailureBudget(10, new SkipReport(), 1.5));
    }

    [Fact]
    public void Time_stamps_come_from_the_given_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));
        var report = new SkipReport(null, clock);
        var r = report.Add("a.avi", VideoErrorKind.Timeout, "slow");
        Assert.Equal(new DateTime(2026, 11, 26, 4, 0, 0, DateTimeKind.Utc), r.TimeUtc);
        report.Flush(); // in-memory report: no file, no error
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using ConstCl.Core.Tests.Video;
using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Data;

/// <summary>
/// Issue 14: listings a dataset could not load (missing files, folders without frames) used to vanish from a pre-training run:
/// neither in the skip report nor counted against the failure budget.
/// </summary>
public sealed class LoaderLoadReportTests : IDisposable
{
    private readonly string _dir = LoaderTestData.NewTempDir();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A manifest of <paramref name="good"/> real videos, then a missing file and an empty folder, then a repeat.</summary>
    private string Manifest(int good)
    {
        var lines = new List<string> { "path,label" };
        for (int i = 0; i < good; i++)
        {
            lines.Add($"{Path.GetFileName(TestVideos.Write(_dir, $"good{i}.avi", "MJPG", frames: 16))},a");
        }

        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        lines.AddRange(["gone.avi,a", "empty,a", "good0.avi,a"]);
        string manifest = Path.Combine(_dir, "train.csv");
        File.WriteAllText(manifest, string.Join('\n', lines) + "\n");
        return manifest;
    }

    [Fact]
    public void UnloadableListingsAreInTheSkipReportFromTheStartAndCountAgainstTheBudget()
    {
        string manifest = Manifest(good: 2);
        string report = Path.Combine(_dir, "run", "skip-report.jsonl");
        VideoDataset ds = VideoManifest.Read(manifest);
        var options = LoaderTestData.Tiny() with { SkipReportPath = report, FailureBudgetFraction = 0.5 }; // 4 listed (the repeat is used once): 2 tolerated

        using (var source = PrefetchingBatchSource.FromDataset(ds, options))
        {
            var records = SkipReport.Load(report);                           // written before any batch
            Assert.Equal([Path.Combine(_dir, "gone.avi"), Path.Combine(_dir, "empty")], records.Select(r => r.Path));
            Assert.Equal([VideoErrorKind.Missing, VideoErrorKind.Unreadable], records.Select(r => r.Kind));
            Assert.Contains($"listed at {manifest}:4", records[0].Message);
            Assert.Contains($"listed at {manifest}:5", records[1].Message);
            Assert.Equal(2, source.VideosPerEpoch);
        }

        // The same two at a 25 % budget (⌊4 · 0.25⌋ = 1 tolerated): the run stops before it starts, the report written.
        File.Delete(report);
        var error = Assert.Throws<FailureBudgetExceededException>(() => PrefetchingBatchSource.FromDataset(ds, options with { FailureBudgetFraction = 0.25 }));
        Assert.Contains("2 of 4 videos", error.Message);
        Assert.Contains(report, error.Message);
        Assert.Equal(2, SkipReport.Load(report).Count);
    }

    [Fact]
    public void ADatasetWithNothingUsableIsAnErrorNamingTheSkipReport()
    {
        File.WriteAllText(Path.Combine(_dir, "none.csv"), "path,label\ngone1.avi,a\ngone2.avi,a\n");
        string report = Path.Combine(_dir, "skip-report.jsonl");
        VideoDataset ds = VideoManifest.Read(Path.Combine(_dir, "none.csv"));

        var error = Assert.Throws<InvalidDataException>(() => PrefetchingBatchSource.FromDataset(ds, LoaderTestData.Tiny() with { SkipReportPath = report, FailureBudgetFraction = 1 }));

        Assert.Contains("none of the 2 videos", error.Message);
        Assert.Contains(report, error.Message);
        Assert.Equal(2, SkipReport.Load(report).Count);
    }
}

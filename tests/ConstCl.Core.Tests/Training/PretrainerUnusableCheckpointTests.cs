using System.Text.Json;
using ConstCl.Checkpoints;
using ConstCl.Training;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// Resume when checkpoints exist but none is usable: refused with every file and its problem named, unless the caller
/// asks to start over; a run from step 0 never appends to an earlier run's metrics.jsonl.
/// </summary>
public class PretrainerUnusableCheckpointTests
{
    private static PretrainingResult Run(PretrainingOptions options, string dir, bool resume = false, bool startOver = false)
    {
        using var source = new FakeBatchSource(options.Model, options.BatchSize, seed: 3);
        return new Pretrainer(options) { Resume = resume, StartOver = startOver }.Run(source, dir);
    }

    private static int[] LoggedSteps(string path) =>
        File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()).ToArray();

    [Fact]
    public void EveryCheckpointCorruptIsRefusedUnlessStartingOverWhichKeepsTheOldLogApart()
    {
        var options = PretrainerTests.Options(3) with { CheckpointEvery = 2 };   // checkpoints at 2 and 3
        var dir = TrainingTestModels.TempDirectory();
        var first = Run(options, dir);
        var checkpoints = Directory.GetFiles(Path.Combine(dir, Pretrainer.CheckpointDirectoryName), "*.ckpt").Order().ToArray();
        Assert.Equal(2, checkpoints.Length);
        foreach (var file in checkpoints)
        {
            File.WriteAllBytes(file, File.ReadAllBytes(file)[..100]);
        }

        var refused = Assert.Throws<NoUsableCheckpointException>(() => Run(options, dir, resume: true));
        Assert.Equal(checkpoints.Reverse(), refused.Problems.Select(p => p.Path));
        Assert.All(checkpoints, c => Assert.Contains(c, refused.Message));
        Assert.Contains("truncated", refused.Message);
        Assert.Contains("--start-over", refused.Message);
        Assert.Equal([1, 2, 3], LoggedSteps(first.MetricsPath));   // untouched

        var restarted = Run(options, dir, resume: true, startOver: true);
        Assert.Null(restarted.ResumedFromStep);
        Assert.Equal(3, restarted.Step);
        Assert.Equal(2, restarted.SkippedCheckpoints.Count);
        Assert.Equal([1, 2, 3], LoggedSteps(restarted.MetricsPath));   // this run only
        var old = Assert.Single(Directory.GetFiles(dir, MetricsLogger.MetricsFileName + ".*.old"));
        Assert.Equal([1, 2, 3], LoggedSteps(old));
        Assert.All(checkpoints, c => Assert.True(File.Exists(c + ".unusable"), c));
        using var newest = new CheckpointStore(Path.Combine(dir, Pretrainer.CheckpointDirectoryName), 3).LoadLatest().Checkpoint!;
        Assert.Equal(3, newest.Step);
    }

    [Fact]
    public void AFreshRunMovesAnEarlierLogWithoutCheckpointsAside()
    {
        // A run that crashed before its first checkpoint left metrics but nothing to resume.
        var dir = TrainingTestModels.TempDirectory();
        File.WriteAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName), ["{\"step\":1,\"wall_time\":1}", "{\"step\":2,\"wall_time\":2}"]);

        var result = Run(PretrainerTests.Options(2), dir);
        Assert.Equal([1, 2], LoggedSteps(result.MetricsPath));
        Assert.Single(Directory.GetFiles(dir, MetricsLogger.MetricsFileName + ".*.old"));
    }
}

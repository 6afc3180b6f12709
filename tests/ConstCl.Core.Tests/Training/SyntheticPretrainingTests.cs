using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Training;
using Xunit.Abstractions;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// Issue 4's learning check on real data: Tiny-topology pre-training on synthetic action videos, through the real
/// loader (CVRL sampling, official two-view augmentation, random boxes), lowers both loss parts over a few hundred
/// steps. Fixed seeds; the margin compares the mean of the first and the last 10 % of the steps.
/// </summary>
public class SyntheticPretrainingTests(ITestOutputHelper output)
{
    [Fact]
    public void BothLossPartsFallOverAFewHundredStepsOnSyntheticActions()
    {
        const int steps = 200;
        var options = PretrainingLearningTests.LearningOptions(steps, warmupSteps: 20);
        var synthetic = new SyntheticActions(new SyntheticActionsOptions { Classes = 4, VideosPerClass = 8, Frames = 16, Size = 40, Seed = 3, TestFraction = 0 });
        var loader = new LoaderOptions
        {
            Frames = options.Model.InputFrames,
            Size = options.Model.InputSize,
            BatchSize = options.BatchSize,
            Seed = 3,
        };
        using var source = PrefetchingBatchSource.FromSynthetic(synthetic, loader);
        var reports = new List<PretrainingProgress>();
        new Pretrainer(options).Run(source, TrainingTestModels.TempDirectory(), new PretrainerTests.SyncProgress(reports.Add));
        Assert.Equal(steps, reports.Count);

        var (g0, g1, l0, l1) = PretrainingLearningTests.FirstAndLastTenthMeans(reports);
        output.WriteLine($"global {g0:0.0000} → {g1:0.0000}, local {l0:0.0000} → {l1:0.0000}");
        // Measured here (2 threads): global 5.68 → 3.88 (−32 %), local 3.22 → 1.52 (−53 %). The margins ask for about
        // half of each drop: a loop or loss that stops learning fails, float noise between machines cannot.
        Assert.True(g1 < g0 * 0.85, $"global {g0} → {g1}");
        Assert.True(l1 < l0 * 0.75, $"local {l0} → {l1}");
    }
}

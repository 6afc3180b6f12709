using ConstCl.Runtime;
using ConstCl.Training;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

/// <summary>Closed forms of <see cref="RepresentationDiagnostics"/> and the warnings of <see cref="TrainingHealthMonitor"/>.</summary>
public class RepresentationDiagnosticsTests
{
    public RepresentationDiagnosticsTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void ChanceLossIsTwiceLogOfTheCandidates()
    {
        Assert.Equal(2 * Math.Log(31), RepresentationDiagnostics.GlobalChanceLoss(16), 12);
        Assert.Equal(2 * Math.Log(47), RepresentationDiagnostics.GlobalChanceLoss(16, extraNegatives: 16), 12);   // time-reversed negatives
        Assert.Throws<ArgumentOutOfRangeException>(() => RepresentationDiagnostics.GlobalChanceLoss(16, -1));
    }

    [Fact]
    public void ACollapsedBatchHasRankOneCosineOneAndZeroSpread()
    {
        using var same = ones(8, 16);                                 // 2B = 8 identical clips
        var d = RepresentationDiagnostics.Measure(same, same, RepresentationDiagnostics.GlobalChanceLoss(4));
        Assert.Equal(1.0, d.GlobalLossToChance, 12);
        Assert.Equal(1.0, d.EmbeddingMeanCosine, 9);
        Assert.Equal(1.0, d.ProjectionEffectiveRank, 9);
        Assert.Equal(0.0, d.ProjectionStd, 9);
        Assert.Equal(0.0, d.Alignment, 9);
        Assert.Equal(0.0, d.Uniformity, 9);
        Assert.True(d.LooksCollapsed);
    }

    [Fact]
    public void OrthogonalPairsArePerfectlyMatchedAndSpread()
    {
        // Views A and B of video i are both the unit vector e_i: positives identical, negatives orthogonal.
        using var basis = eye(4, 8);
        using var projections = cat([basis, basis], 0);              // [2B, D] = [8, 8]
        var d = RepresentationDiagnostics.Measure(projections, projections, 0.5);
        Assert.Equal(1.0, d.PositiveTop1);
        Assert.Equal(0.0, d.Alignment, 9);
        Assert.Equal(1.0 / 7, d.EmbeddingMeanCosine, 9);               // 8 rows: 1 of each row's 7 partners is its positive (cosine 1)
        Assert.Equal(3.0, d.ProjectionEffectiveRank, 6);             // 4 directions, centred: rank 3, equal singular values
        Assert.False(d.LooksCollapsed);
        // Uniformity: mean of exp(−2·‖zi − zj‖²) over the 56 ordered distinct pairs: 8 at distance 0 (the positives), 48 at 2.
        Assert.Equal(Math.Log((8 + 48 * Math.Exp(-4)) / 56), d.Uniformity, 9);
    }

    [Fact]
    public void RejectsBadShapes()
    {
        using var odd = ones(3, 4);
        Assert.Throws<ArgumentException>(() => RepresentationDiagnostics.Measure(odd, odd, 1));
        using var a = ones(4, 4);
        using var b = ones(2, 4);
        Assert.Throws<ArgumentException>(() => RepresentationDiagnostics.Measure(a, b, 1));
    }

    [Fact]
    public void RejectsNonFiniteValuesWithAMessageNotAnSvdFailure()
    {
        using var good = randn(4, 8);
        using var bad = good.clone();
        bad[1, 2] = tensor(float.NaN);
        var error = Assert.Throws<ArgumentException>(() => RepresentationDiagnostics.Measure(bad, good, 1));
        Assert.Contains("finite", error.Message);
        Assert.Throws<ArgumentException>(() => RepresentationDiagnostics.Measure(good, bad, 1));
    }

    [Fact]
    public void HealthMonitorWarnsOnceAfterTheStallAndAgainAfterRecovery()
    {
        var monitor = new TrainingHealthMonitor(stallSteps: 20, warmupSteps: 10);
        var atChance = Diagnostics(0.995, cosine: 0.5);
        var learning = Diagnostics(0.7, cosine: 0.5);
        var warnings = new List<string>();
        for (var step = 5; step <= 60; step += 5)
        {
            warnings.AddRange(monitor.Observe(step, atChance));       // warm-up steps (≤ 10) do not count
        }

        Assert.Single(warnings);
        Assert.Contains("chance", warnings[0]);
        Assert.Contains("since step 15", warnings[0]);
        Assert.Empty(monitor.Observe(65, learning));                   // the mean of the last five logged steps drops below chance
        var again = new List<string>();
        for (var step = 70; step <= 110; step += 5)
        {
            again.AddRange(monitor.Observe(step, atChance));
        }

        var second = Assert.Single(again);
        Assert.Contains("since step 90", second);                    // once step 65 has left the five-step window
        Assert.Empty(new TrainingHealthMonitor(0, 0).Observe(1000, atChance));
    }

    [Fact]
    public void HealthMonitorAveragesTheScatterOfSmallBatchesAroundChance()
    {
        // At batch 4 single batches scatter by ±5 % around chance; a single-batch test (tolerance 2 %) never saw a stall.
        var monitor = new TrainingHealthMonitor(stallSteps: 20, warmupSteps: 0);
        var warnings = new List<string>();
        for (var step = 5; step <= 60; step += 5)
        {
            warnings.AddRange(monitor.Observe(step, Diagnostics(step % 10 == 5 ? 0.95 : 1.05, cosine: 0.5)));
        }

        var warning = Assert.Single(warnings);
        Assert.Contains("since step 10", warning);
        Assert.Contains("over the last 5 logged steps", warning);
    }

    [Fact]
    public void HealthMonitorWarnsAboutCollapse()
    {
        var monitor = new TrainingHealthMonitor(stallSteps: 10, warmupSteps: 0);
        var collapsed = Diagnostics(0.9, cosine: 0.99);
        Assert.Empty(monitor.Observe(10, collapsed));
        var warning = Assert.Single(monitor.Observe(20, collapsed));
        Assert.Contains("collapsed", warning);
    }

    private static RepresentationDiagnostics Diagnostics(double ratio, double cosine) =>
        new(ratio, 0.1, 0.5, 10, 1.0, -2.0, cosine, 10);
}

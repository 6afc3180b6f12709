using ConstCl.Regions;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Regions;

public class RandomRegionProposerTests
{
    private const float Max = RandomRegionProposer.MaxCoordinate;

    private static RegionBox[] Draw(bool quirk, int frames, int seed) =>
        new RandomRegionProposer(new RandomRegionOptions { TensorFlowSeedQuirk = quirk })
            .Propose(frames, new Random(seed)).Boxes.SelectMany(f => f).ToArray();

    [Fact]
    public void ShapesMatchOfficialConfiguration()
    {
        var frames = new FrameSequence(Enumerable.Range(0, 16).Select(_ => new byte[4 * 4 * 3]).ToList(), 4, 4);
        RegionProposals p = new RandomRegionProposer().Propose(frames, new Random(1));
        Assert.Equal(16, p.FrameCount);
        Assert.Equal(8, p.BoxesPerFrame);
        Assert.All(p.Valid, f => Assert.All(f, Assert.True)); // the official mask is all ones
        Assert.Equal(16 * 8 * 4, p.ToYxyxArray().Length);
    }

    [Fact]
    public void SameSeedSameBoxesOtherSeedOtherBoxes()
    {
        Assert.Equal(Draw(false, 4, 7), Draw(false, 4, 7));
        Assert.NotEqual(Draw(false, 4, 7), Draw(false, 4, 8));
    }

    [Fact]
    public void IndependentBoxesSatisfyClosedFormConstraints()
    {
        foreach (RegionBox b in Draw(false, 500, 3))
        {
            Assert.InRange(b.X1, 0f, MathF.BitDecrement(1f));
            Assert.InRange(b.Y1, 0f, MathF.BitDecrement(1f));
            Assert.True(b.X2 <= Max && b.Y2 <= Max);
            if (b.X2 < Max)
            {
                // Unclipped: x2 − x1 = w ∈ [0.1, 0.5).
                Assert.InRange(b.Width, 0.1f - 1e-6f, 0.5f + 1e-6f);
                if (b.Y2 < Max)
                {
                    Assert.InRange(b.Height / b.Width, 0.5f - 1e-5f, 2f + 1e-5f);
                }
            }
            else
            {
                Assert.Equal(Max, b.X2); // clipped at 1 − 1e-3 exactly
            }
        }
    }

    [Fact]
    public void IndependentDistributionsHaveTheOfficialMeansAndNoCorrelation()
    {
        RegionBox[] boxes = Draw(false, 2000, 11); // 16,000 boxes
        double n = boxes.Length;

        // U[a,b): mean (a+b)/2, sd (b−a)/√12; bound each sample mean at 5 standard errors.
        static void AssertMean(IReadOnlyList<double> v, double a, double b)
        {
            double se = (b - a) / Math.Sqrt(12) / Math.Sqrt(v.Count);
            Assert.InRange(v.Average(), (a + b) / 2 - 5 * se, (a + b) / 2 + 5 * se);
        }

        AssertMean(boxes.Select(b => (double)b.X1).ToList(), 0, 1);
        AssertMean(boxes.Select(b => (double)b.Y1).ToList(), 0, 1);

        // x1 < 0.499 ⇒ x1 + w < 0.999: the width is never clipped, so it is the drawn w ~ U[0.1,0.5).
        var unclippedW = boxes.Where(b => b.X1 < 0.499f).ToList();
        AssertMean(unclippedW.Select(b => (double)b.Width).ToList(), 0.1, 0.5);

        // Also y1 + 2w < 0.999 ⇒ h = w·aspect ≤ 2w is never clipped; the selection depends on x1, y1
        // and w only, so the aspects kept are still U[0.5, 2).
        var unclipped = unclippedW.Where(b => b.Y1 + 2 * b.Width < Max).ToList();
        Assert.True(unclipped.Count > 1000, $"only {unclipped.Count} fully unclipped boxes");
        AssertMean(unclipped.Select(b => (double)(b.Height / b.Width)).ToList(), 0.5, 2.0);

        // Independent x1 and y1: Pearson r within 5/√n of 0 (the quirk would give r = 1).
        double mx = boxes.Average(b => b.X1), my = boxes.Average(b => b.Y1);
        double cov = boxes.Sum(b => (b.X1 - mx) * (b.Y1 - my));
        double r = cov / Math.Sqrt(boxes.Sum(b => (b.X1 - mx) * (b.X1 - mx)) * boxes.Sum(b => (b.Y1 - my) * (b.Y1 - my)));
        Assert.InRange(r, -5 / Math.Sqrt(n), 5 / Math.Sqrt(n));
    }

    [Fact]
    public void TensorFlowQuirkPutsCornersOnTheDiagonalWithTiedSizes()
    {
        // Spec §3.2: one stream U gives xmin = ymin = U, w = 0.1 + 0.4U, aspect = 0.5 + 1.5U.
        RegionBox[] boxes = Draw(true, 200, 5);
        foreach (RegionBox b in boxes)
        {
            Assert.Equal(b.X1, b.Y1);
            float u = b.X1;
            float w = 0.1f + 0.4f * u;
            Assert.Equal(MathF.Min(u + w, Max), b.X2, 6);
            Assert.Equal(MathF.Min(u + w * (0.5f + 1.5f * u), Max), b.Y2, 6);
        }

        // Clipping starts where U + 0.1 + 0.4U ≥ 0.999 ⇔ U ≥ 0.642 (x) — present in a sample of 1,600.
        Assert.Contains(boxes, b => b.X2 == Max);
        Assert.Contains(boxes, b => b.X2 < Max);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RandomRegionProposer(new RandomRegionOptions { BoxesPerFrame = 0 }));
        Assert.Contains("BoxesPerFrame", e.Message);
    }
}

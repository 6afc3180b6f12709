using ConstCl.Sampling;

namespace ConstCl.Core.Tests.Sampling;

public class CvrlTemporalSamplerTests
{
    // Upper 0.1 % points of the chi-square distribution (standard statistical table, e.g. NIST/SEMATECH
    // e-Handbook 1.3.6.7.4): df 19 → 43.820.
    private const double ChiSquare999Df19 = 43.820;

    [Theory]
    // Spec §5.1 "Bisection test values": M=100, u=0.5 → 29 (exact 29.29); u=0.999 → 96; M=220, u=0.3 → 35.
    [InlineData(100, 0.5f, 29)]
    [InlineData(100, 0.999f, 96)]
    [InlineData(220, 0.3f, 35)]
    public void BisectionMatchesSpecValues(int maxOffset, float u, int expected)
    {
        Assert.Equal(expected, CvrlTemporalSampler.SampleGap(maxOffset, u));
    }

    [Fact]
    public void BisectionIsTheDiscreteInverseOfTheOfficialCdf()
    {
        // Brute force: the returned k must satisfy cdf(k) ≤ u < cdf(k+1) with cdf(k) = 2k/M − k²/M².
        for (int m = 1; m <= 150; m++)
        {
            for (int step = 0; step < 500; step++)
            {
                float u = step / 500f;
                int k = CvrlTemporalSampler.SampleGap(m, u);
                Assert.InRange(k, 0, m - 1);
                Assert.True(Cdf(k, m) <= u + 1e-6, $"M={m} u={u} k={k}: cdf(k)={Cdf(k, m)} > u");
                Assert.True(u < Cdf(k + 1, m) + 1e-6, $"M={m} u={u} k={k}: cdf(k+1)={Cdf(k + 1, m)} ≤ u");
            }
        }
    }

    [Fact]
    public void GapProbabilitiesSumToOneAndIntegrateTheOfficialDensity()
    {
        const int m = 37;
        double total = 0;
        for (int k = 0; k < m; k++)
        {
            double p = CvrlTemporalSampler.GapProbability(k, m);
            // cdf(k+1) − cdf(k) of the official density p(x) = (2/M)(1 − x/M).
            Assert.Equal(Cdf(k + 1, m) - Cdf(k, m), p, 1e-12);
            total += p;
        }

        Assert.Equal(1.0, total, 1e-12);
    }

    [Fact]
    public void GapHistogramMatchesOfficialDistribution()
    {
        // Lv = 50 frames, span 30 → M = 20; the gap must follow the official linear density.
        var sampler = new CvrlTemporalSampler();
        const int videoLength = 50;
        const int m = 20;
        const int draws = 20000;
        var random = new Random(20220601);
        var counts = new int[m];
        for (int i = 0; i < draws; i++)
        {
            ViewPair pair = sampler.Sample(videoLength, random);
            Assert.False(pair.IsShortVideo);
            Assert.Equal(pair.Gap, Math.Abs(pair.View1Offset - pair.View2Offset));
            counts[pair.Gap]++;
        }

        double chi = ChiSquare(counts, k => CvrlTemporalSampler.GapProbability(k, m), draws);
        Assert.True(chi < ChiSquare999Df19, $"chi-square {chi:F2} ≥ {ChiSquare999Df19} (df 19, α 0.001)");
    }

    [Fact]
    public void ChiSquareTestRejectsAUniformGap()
    {
        // Power check of the test above: uniform gaps over the same range must be rejected.
        const int m = 20;
        const int draws = 20000;
        var random = new Random(7);
        var counts = new int[m];
        for (int i = 0; i < draws; i++)
        {
            counts[random.Next(m)]++;
        }

        double chi = ChiSquare(counts, k => CvrlTemporalSampler.GapProbability(k, m), draws);
        Assert.True(chi > ChiSquare999Df19, $"uniform gaps gave chi-square {chi:F2}");
    }

    [Fact]
    public void LongVideoViewsStayInsideTheVideoAndBothOrdersOccur()
    {
        var sampler = new CvrlTemporalSampler(framesPerClip: 16, stride: 2);
        var random = new Random(3);
        const int videoLength = 75; // M = 45
        bool firstEarlier = false;
        bool firstLater = false;
        for (int i = 0; i < 500; i++)
        {
            ViewPair pair = sampler.Sample(videoLength, random);
            Assert.InRange(pair.View1Offset, 0, 44);
            Assert.InRange(pair.View2Offset, 0, 44);
            for (int t = 0; t < 16; t++)
            {
                Assert.Equal(pair.View1Offset + (2 * t), pair.View1Frames[t]);
                Assert.Equal(pair.View2Offset + (2 * t), pair.View2Frames[t]);
            }

            firstEarlier |= pair.View1Offset < pair.View2Offset;
            firstLater |= pair.View1Offset > pair.View2Offset;
        }

        Assert.True(firstEarlier && firstLater, "the random shuffle of the two offsets never happened");
    }

    [Fact]
    public void ShortVideoDrawsIndependentOffsetsAndWrapsModuloLength()
    {
        var sampler = new CvrlTemporalSampler(framesPerClip: 16, stride: 2);
        var random = new Random(11);
        const int videoLength = 12; // ≤ span 30 → M = Lv, offsets independent in [0, 11]
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < 2000; i++)
        {
            ViewPair pair = sampler.Sample(videoLength, random);
            Assert.True(pair.IsShortVideo);
            Assert.InRange(pair.View1Offset, 0, videoLength - 1);
            Assert.InRange(pair.View2Offset, 0, videoLength - 1);
            for (int t = 0; t < 16; t++)
            {
                Assert.Equal((pair.View1Offset + (2 * t)) % videoLength, pair.View1Frames[t]);
                Assert.Equal((pair.View2Offset + (2 * t)) % videoLength, pair.View2Frames[t]);
            }

            seen.Add((pair.View1Offset, pair.View2Offset));
        }

        // Independent draws reach (nearly) every one of the 144 offset pairs.
        Assert.True(seen.Count > 130, $"only {seen.Count} of 144 offset pairs seen");
    }

    [Fact]
    public void SpanBoundaryDecidesTheShortCase()
    {
        var sampler = new CvrlTemporalSampler();
        var random = new Random(5);
        // Lv = 30 is not longer than the span (30): short. Lv = 31 gives M = 1, so δ = 0 and both views start at 0.
        Assert.True(sampler.Sample(30, random).IsShortVideo);
        ViewPair pair = sampler.Sample(31, random);
        Assert.False(pair.IsShortVideo);
        Assert.Equal(0, pair.Gap);
        Assert.Equal(0, pair.View1Offset);
        Assert.Equal(0, pair.View2Offset);
        Assert.Equal(30, pair.View1Frames[15]);
    }

    [Fact]
    public void SameSeedGivesSamePairs()
    {
        var sampler = new CvrlTemporalSampler(8, 3);
        var a = new Random(99);
        var b = new Random(99);
        for (int i = 0; i < 50; i++)
        {
            ViewPair x = sampler.Sample(100 + i, a);
            ViewPair y = sampler.Sample(100 + i, b);
            Assert.Equal(x.View1Frames, y.View1Frames);
            Assert.Equal(x.View2Frames, y.View2Frames);
        }
    }

    [Fact]
    public void FrameTimesUseTheFrameRate()
    {
        var pair = new CvrlTemporalSampler(4, 2).Sample(100, new Random(1));
        double[] seconds = pair.View1Seconds(25);
        for (int t = 0; t < 4; t++)
        {
            Assert.Equal(pair.View1Frames[t] / 25.0, seconds[t], 1e-12);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => pair.View2Seconds(0));
    }

    [Fact]
    public void BadInputThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CvrlTemporalSampler(0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CvrlTemporalSampler(16, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CvrlTemporalSampler().Sample(0, new Random(1)));
        Assert.Throws<ArgumentNullException>(() => new CvrlTemporalSampler().Sample(10, null!));
    }

    private static double Cdf(double k, double m) => (2 * k / m) - (k * k / (m * m));

    private static double ChiSquare(int[] counts, Func<int, double> probability, int draws)
    {
        double chi = 0;
        for (int k = 0; k < counts.Length; k++)
        {
            double expected = draws * probability(k);
            chi += (counts[k] - expected) * (counts[k] - expected) / expected;
        }

        return chi;
    }

    [Fact]
    public void MinimumGapShiftsTheOfficialDrawAndZeroKeepsItUnchanged()
    {
        // Video of 40 frames, 8 frames at stride 2 (span 14): M = 26 offsets.
        var official = new CvrlTemporalSampler(8, 2);
        var zero = new CvrlTemporalSampler(8, 2, minimumGap: 0);
        var far = new CvrlTemporalSampler(8, 2, minimumGap: 10);
        for (int seed = 0; seed < 300; seed++)
        {
            Assert.Equal(official.Sample(40, new Random(seed)).View1Offset, zero.Sample(40, new Random(seed)).View1Offset);
            var pair = far.Sample(40, new Random(seed));
            float u = new Random(seed).NextSingle();                   // the first draw, as in Sample
            Assert.Equal(10 + CvrlTemporalSampler.SampleGap(26 - 10, u), pair.Gap);
            Assert.Equal(pair.Gap, Math.Abs(pair.View2Offset - pair.View1Offset));
            Assert.InRange(Math.Max(pair.View1Offset, pair.View2Offset), 0, 25);
        }

        // A floor beyond M − 1 is clamped: the views start at the two ends.
        var pinned = new CvrlTemporalSampler(8, 2, minimumGap: 1000).Sample(40, new Random(1));
        Assert.Equal(25, pinned.Gap);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CvrlTemporalSampler(8, 2, minimumGap: -1));
    }
}

using ConstCl.Losses;
using ConstCl.Runtime;
using static ConstCl.Core.Tests.Losses.GlobalContrastiveLossTests;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Losses;

public class InstanceContrastiveLossTests
{
    public InstanceContrastiveLossTests() => TorchRuntime.Initialize(2);

    // Inputs of test_instance_constrative_loss in tensorflow/models
    // official/projects/const_cl/losses/losses_test.py (read at commit 262cf82b3039fddd863840f9f84a7f251f87d9ca);
    // that test asserts only the output keys. Expected values: spec §3.8/§8.4 (computed in float64).
    private static readonly double[] OfficialInstA =
    {
        1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, 4, 3, 2, 1, 8, 7, 6, 5,
        1, 2, 3, 4, 5, 6, 7, 8, 4, 3, 2, 1, 8, 7, 6, 5,
    };

    private static readonly double[] OfficialInstB =
    {
        1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, -1, -1, -1, -1, -1, -1, -1, -1,
        -1, -1, -1, -1, -1, -1, -1, -1, 5.5, 6.5, 7.5, 8.5, 8.5, 7.5, 6.5, 5.5,
        1.5, 2.5, 3.5, 4.5, 4.5, 3.5, 2.5, 1.5, 5.5, 6.5, 7.5, 8.5, 8.5, 7.5, 6.5, 5.5,
    };

    private static readonly bool[] OfficialMask = { true, true, false, false, false, false, true, true, true, true, true, true };

    [Theory]
    [InlineData(ScalarType.Float32, 5)]
    [InlineData(ScalarType.Float64, 6)]
    public void OfficialTestVector(ScalarType dtype, int digits)
    {
        using var scope = NewDisposeScope();
        var instA = tensor(OfficialInstA, dtype).reshape(3, 4, 4);
        var instB = tensor(OfficialInstB, dtype).reshape(3, 4, 4);
        var mask = tensor(OfficialMask).reshape(3, 4);
        // The official test passes inst_a2b = inst_b and inst_b2a = inst_a, with τ = 0.1.
        using var result = InstanceContrastiveLoss.Compute(instB, instA, instA, instB, mask, mask, 0.1);
        Assert.Equal(1.669813, result.Loss.to_type(float64).item<double>(), digits);
        Assert.Equal(1.730746, result.LossAToB.to_type(float64).item<double>(), digits);
        Assert.Equal(1.608881, result.LossBToA.to_type(float64).item<double>(), digits);
        var expectedIndices = new long[] { 0, 1, 2, 2, 0, 0, 3, 3, 0, 2, 1, 3 };
        Assert.Equal(expectedIndices, result.IndicesAToB.data<long>().ToArray());
        Assert.Equal(expectedIndices, result.IndicesBToA.data<long>().ToArray());
    }

    [Fact]
    public void MatchesNestedLoopReferenceWithMasks()
    {
        const int videos = 3, regions = 4, channels = 5;
        const double tau = 0.25;
        var random = new Random(17);
        double[] Values() => Enumerable.Range(0, videos * regions * channels).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var za2b = Values();
        var zb2a = Values();
        var ha = Values();
        var hb = Values();
        // Weighted anchors, including zeros and a fractional weight.
        var maskA = new double[] { 1, 1, 0, 1, 0, 1, 1, 1, 1, 0.5, 1, 1 };
        var maskB = new double[] { 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0 };
        var expected = BruteForce(za2b, zb2a, ha, hb, maskA, maskB, videos, regions, channels, tau);

        using var scope = NewDisposeScope();
        Tensor T(double[] v) => tensor(v, float64).reshape(videos, regions, channels);
        using var result = InstanceContrastiveLoss.Compute(
            T(za2b), T(zb2a), T(ha), T(hb), tensor(maskA, float64).reshape(videos, regions), tensor(maskB, float64).reshape(videos, regions), tau);

        Assert.Equal(expected.IndicesAToB, result.IndicesAToB.data<long>().ToArray());
        Assert.Equal(expected.IndicesBToA, result.IndicesBToA.data<long>().ToArray());
        Assert.Equal(expected.LossAToB, result.LossAToB.item<double>(), 12);
        Assert.Equal(expected.LossBToA, result.LossBToA.item<double>(), 12);
        Assert.Equal(0.5 * (expected.LossAToB + expected.LossBToA), result.Loss.item<double>(), 12);
        Assert.Equal(expected.Stats[0], result.PositiveSimilarityMean.item<double>(), 12);
        Assert.Equal(expected.Stats[1], result.PositiveSimilarityMin.item<double>(), 12);
        Assert.Equal(expected.Stats[2], result.PositiveSimilarityMax.item<double>(), 12);
        Assert.Equal(expected.Stats[3], result.NegativeSimilarityMean.item<double>(), 12);
        Assert.Equal(expected.Stats[4], result.NegativeSimilarityMin.item<double>(), 12);
        Assert.Equal(expected.Stats[5], result.NegativeSimilarityMax.item<double>(), 12);
    }

    [Fact]
    public void NoValidAnchorGivesZeroLossWithFiniteGradient()
    {
        // divide_no_nan: Σ m·loss / Σ m is 0 when every mask is false; statistics are undefined (NaN).
        using var scope = NewDisposeScope();
        var z = randn(new long[] { 2, 3, 4 }, generator: new Generator(4)).requires_grad_(true);
        var h = randn(new long[] { 2, 3, 4 }, generator: new Generator(5));
        var none = zeros(new long[] { 2, 3 }, ScalarType.Bool);
        using var result = InstanceContrastiveLoss.Compute(z, z, h, h, none, none, 0.2);
        Assert.Equal(0f, result.Loss.item<float>());
        Assert.True(float.IsNaN(result.PositiveSimilarityMean.item<float>()));
        Assert.True(float.IsNaN(result.NegativeSimilarityMax.item<float>()));
        result.Loss.backward();
        Assert.Equal(0f, z.grad!.abs().sum().item<float>());
    }

    [Fact]
    public void SingleVideoHasNoNegativesAndZeroLoss()
    {
        // Negatives come only from other videos: with B = 1 the softmax holds only the positive.
        using var scope = NewDisposeScope();
        var z = randn(new long[] { 1, 3, 4 }, generator: new Generator(6));
        var h = randn(new long[] { 1, 3, 4 }, generator: new Generator(7));
        var all = ones(new long[] { 1, 3 }, ScalarType.Bool);
        using var result = InstanceContrastiveLoss.Compute(z, z, h, h, all, all, 0.2);
        Assert.Equal(0f, result.Loss.item<float>());
        Assert.True(float.IsNaN(result.NegativeSimilarityMean.item<float>()));
        Assert.False(float.IsNaN(result.PositiveSimilarityMean.item<float>()));
    }

    [Fact]
    public void GradientReachesPredictionsAndTargets()
    {
        using var scope = NewDisposeScope();
        Tensor Leaf(int seed) => randn(new long[] { 2, 3, 4 }, generator: new Generator((ulong)seed)).requires_grad_(true);
        var (za, zb, ha, hb) = (Leaf(1), Leaf(2), Leaf(3), Leaf(4));
        var all = ones(new long[] { 2, 3 }, ScalarType.Bool);
        using var inner = NewDisposeScope();
        using var result = InstanceContrastiveLoss.Compute(za, zb, ha, hb, all, all, 0.2);
        Assert.Equal(11, inner.DisposablesCount); // only the result's tensors; intermediates were disposed
        Assert.False(result.PositiveSimilarityMean.requires_grad);
        result.Loss.backward();
        foreach (var t in new[] { za, zb, ha, hb })
        {
            Assert.True(t.grad!.abs().sum().item<float>() > 0);
        }
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // float64, B = 2, N = 3, C = 3: d loss / d inputs by autograd vs central differences, for every
        // input (the targets get gradient through both the positives and the negatives; no stop-gradient).
        const int size = 2 * 3 * 3;
        var random = new Random(23);
        var inputs = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, size).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var maskA = new[] { true, false, true, true, true, true };
        var maskB = new[] { true, true, true, false, true, true };

        double Loss(double[][] values)
        {
            using var scope = NewDisposeScope();
            Tensor T(double[] v) => tensor(v, float64).reshape(2, 3, 3);
            using var r = InstanceContrastiveLoss.Compute(
                T(values[0]), T(values[1]), T(values[2]), T(values[3]), tensor(maskA).reshape(2, 3), tensor(maskB).reshape(2, 3), 0.3);
            return r.Loss.item<double>();
        }

        var analytic = new double[4][];
        using (NewDisposeScope())
        {
            var leaves = inputs.Select(v => tensor(v, float64).reshape(2, 3, 3).requires_grad_(true)).ToArray();
            using var r = InstanceContrastiveLoss.Compute(
                leaves[0], leaves[1], leaves[2], leaves[3], tensor(maskA).reshape(2, 3), tensor(maskB).reshape(2, 3), 0.3);
            r.Loss.backward();
            for (var i = 0; i < 4; i++)
            {
                analytic[i] = leaves[i].grad!.data<double>().ToArray();
            }
        }

        const double step = 1e-6;
        for (var i = 0; i < 4; i++)
        {
            Assert.Contains(analytic[i], g => Math.Abs(g) > 1e-3);
            for (var e = 0; e < size; e++)
            {
                var plus = inputs.Select(v => (double[])v.Clone()).ToArray();
                var minus = inputs.Select(v => (double[])v.Clone()).ToArray();
                plus[i][e] += step;
                minus[i][e] -= step;
                var numeric = (Loss(plus) - Loss(minus)) / (2 * step);
                Assert.True(Math.Abs(numeric - analytic[i][e]) < 1e-7, $"input {i}, element {e}: autograd {analytic[i][e]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void RejectsBadInputs()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 3, 4);
        var m = ones(new long[] { 2, 3 }, ScalarType.Bool);
        Assert.Equal("regionsB", Assert.Throws<ArgumentException>(() => InstanceContrastiveLoss.Compute(x, x, x, zeros(2, 3, 5), m, m, 0.2)).ParamName);
        Assert.Equal("predictionsAToB", Assert.Throws<ArgumentException>(() => InstanceContrastiveLoss.Compute(zeros(6, 4), x, x, x, m, m, 0.2)).ParamName);
        Assert.Equal("maskB", Assert.Throws<ArgumentException>(() => InstanceContrastiveLoss.Compute(x, x, x, x, m, ones(new long[] { 3, 2 }, ScalarType.Bool), 0.2)).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => InstanceContrastiveLoss.Compute(x, x, x, x, m, m, double.NaN)).ParamName);
    }

    /// <summary>Independent loop implementation of spec §3.4 and §3.8 in double precision.</summary>
    private static (long[] IndicesAToB, long[] IndicesBToA, double LossAToB, double LossBToA, double[] Stats) BruteForce(
        double[] za2b, double[] zb2a, double[] ha, double[] hb, double[] maskA, double[] maskB, int videos, int regions, int channels, double tau)
    {
        double[] Vec(double[] data, int b, int j) => Normalize(data.Skip((b * regions + j) * channels).Take(channels).ToArray());

        var idxAB = new long[videos * regions];
        var idxBA = new long[videos * regions];
        for (var b = 0; b < videos; b++)
        {
            for (var j = 0; j < regions; j++)
            {
                int bestK = 0, bestJ = 0;
                for (var k = 1; k < regions; k++)
                {
                    if (Dot(Vec(ha, b, j), Vec(hb, b, k)) > Dot(Vec(ha, b, j), Vec(hb, b, bestK)))
                    {
                        bestK = k;
                    }

                    // For b→a, the roles swap: best view-A region for view-B region j.
                    if (Dot(Vec(ha, b, k), Vec(hb, b, j)) > Dot(Vec(ha, b, bestJ), Vec(hb, b, j)))
                    {
                        bestJ = k;
                    }
                }

                idxAB[b * regions + j] = bestK;
                idxBA[b * regions + j] = bestJ;
            }
        }

        (double Loss, double[] Stats) Direction(double[] z, double[] t, long[] idx, double[] m)
        {
            double lossSum = 0, weightSum = 0, posSum = 0, posMin = double.PositiveInfinity, posMax = double.NegativeInfinity;
            double negSum = 0, negWeight = 0, negMinSum = 0, negMaxSum = 0;
            for (var b = 0; b < videos; b++)
            {
                for (var j = 0; j < regions; j++)
                {
                    var anchor = Vec(z, b, j);
                    var positive = Dot(anchor, Vec(t, b, (int)idx[b * regions + j]));
                    var logits = new List<double> { positive / tau };
                    double negMin = double.PositiveInfinity, negMax = double.NegativeInfinity;
                    var weight = m[b * regions + j];
                    for (var p = 0; p < videos; p++)
                    {
                        if (p == b)
                        {
                            continue;
                        }

                        for (var q = 0; q < regions; q++)
                        {
                            var cosine = Dot(anchor, Vec(t, p, q));
                            logits.Add(cosine / tau);
                            negSum += cosine * weight;
                            negWeight += weight;
                            negMin = Math.Min(negMin, cosine);
                            negMax = Math.Max(negMax, cosine);
                        }
                    }

                    var max = logits.Max();
                    var lse = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                    lossSum += weight * (lse - positive / tau);
                    weightSum += weight;
                    posSum += weight * positive;
                    negMinSum += weight * negMin;
                    negMaxSum += weight * negMax;
                    if (weight != 0)
                    {
                        posMin = Math.Min(posMin, positive);
                        posMax = Math.Max(posMax, positive);
                    }
                }
            }

            return (lossSum / weightSum, new[] { posSum / weightSum, posMin, posMax, negSum / negWeight, negMinSum / weightSum, negMaxSum / weightSum });
        }

        var (lossAB, statsAB) = Direction(za2b, hb, idxAB, maskA);
        var (lossBA, statsBA) = Direction(zb2a, ha, idxBA, maskB);
        return (idxAB, idxBA, lossAB, lossBA, statsAB.Zip(statsBA, (x, y) => 0.5 * (x + y)).ToArray());
    }
}

using ConstCl.Core.Tests.Ops;
using ConstCl.Losses;
using ConstCl.Runtime;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Losses;

public class GlobalContrastiveLossTests
{
    public GlobalContrastiveLossTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void OfficialTestVector()
    {
        // tensorflow/models official/projects/const_cl/losses/losses_test.py, test_constrative_loss
        // (spec §2.2): τ = 0.1, expected loss 4.136947 and accuracy 0.5.
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6, 7, 8, 4, 3, 2, 1, 8, 7, 6, 5 }).reshape(4, 4);
        var b = tensor(new float[] { 1, 2, 3, 4, 4, 3, 2, 1, 5, 6, 7, 8, 8, 7, 6, 5 }).reshape(4, 4);
        using var result = GlobalContrastiveLoss.Compute(a, b, 0.1);
        Assert.Equal(4.136947, result.Loss.item<float>(), 5);
        Assert.Equal(0.5, result.Accuracy.item<float>(), 6);
        Assert.Equal(result.Loss.item<float>(), result.LossAnchorsA.item<float>() + result.LossAnchorsB.item<float>(), 5);
    }

    [Fact]
    public void MatchesNestedLoopReference()
    {
        const int batch = 5, dim = 7;
        const double tau = 0.3;
        var random = new Random(3);
        double[][] Rows() => Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, dim).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var a = Rows();
        var b = Rows();
        var expected = BruteForce(a, b, tau);

        using var scope = NewDisposeScope();
        using var result = GlobalContrastiveLoss.Compute(ToTensor(a), ToTensor(b), tau);
        Assert.Equal(expected.LossA, result.LossAnchorsA.item<double>(), 12);
        Assert.Equal(expected.LossB, result.LossAnchorsB.item<double>(), 12);
        Assert.Equal(expected.LossA + expected.LossB, result.Loss.item<double>(), 12);
        Assert.Equal(expected.Accuracy, result.Accuracy.item<double>(), 12);
        Assert.Equal(expected.Entropy, result.Entropy.item<double>(), 12);
    }

    [Fact]
    public void ExtraNegativesMatchTheNestedLoopReference()
    {
        const int batch = 4, dim = 6, extra = 3;
        const double tau = 0.2;
        var random = new Random(5);
        double[][] Rows(int n) => Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, dim).Select(_ => random.NextDouble() * 2 - 1).ToArray()).ToArray();
        var a = Rows(batch);
        var b = Rows(batch);
        var negatives = Rows(extra);
        var expected = BruteForce(a, b, tau, negatives);

        using var scope = NewDisposeScope();
        using var result = GlobalContrastiveLoss.Compute(ToTensor(a), ToTensor(b), tau, ToTensor(negatives));
        Assert.Equal(expected.LossA, result.LossAnchorsA.item<double>(), 12);
        Assert.Equal(expected.LossB, result.LossAnchorsB.item<double>(), 12);
        // The diagnostics stay those of the A–B block.
        Assert.Equal(expected.Accuracy, result.Accuracy.item<double>(), 12);
        Assert.Equal(expected.Entropy, result.Entropy.item<double>(), 12);
        using var plain = GlobalContrastiveLoss.Compute(ToTensor(a), ToTensor(b), tau);
        Assert.True(result.Loss.item<double>() > plain.Loss.item<double>());
    }

    [Fact]
    public void AStaticCueCannotBeatItsOwnReversal()
    {
        // An encoder that sees only static cues embeds a clip and its reversal alike: the reversed negative then
        // scores exactly as the positive, so each anchor's loss is at least ln 2 however well the views pair.
        using var scope = NewDisposeScope();
        var a = eye(4, dtype: float64).mul(10);
        var b = a.clone();
        using var plain = GlobalContrastiveLoss.Compute(a, b, 0.1);
        Assert.True(plain.Loss.item<double>() < 1e-3);
        using var withReversed = GlobalContrastiveLoss.Compute(a, b, 0.1, b.clone());
        // Exactly 2·ln(2 + 9·e^−10): the positive and its reversal tie at 1/τ = 10, the other nine candidates score 0.
        Assert.Equal(2 * Math.Log(2 + 9 * Math.Exp(-10)), withReversed.Loss.item<double>(), 10);
    }

    [Fact]
    public void IdenticalEmbeddingsGiveLogOfCandidateCount()
    {
        // All logits equal 1/τ, so each anchor's softmax is uniform over its 2B − 1 candidates:
        // CE = log(2B − 1) per direction, and the loss (a sum) is 2·log(2B − 1). argmax ties pick
        // index 0, so only anchor 0 is "correct": accuracy 1/B; the entropy of the uniform B-way
        // softmax over logits_ab is log B (up to the official 1e-8).
        const int batch = 6;
        using var scope = NewDisposeScope();
        var same = tensor(new float[] { 0.3f, -1.2f, 2.0f }).reshape(1, 3).expand(batch, 3).contiguous();
        using var result = GlobalContrastiveLoss.Compute(same, same.mul(4.0f), 0.1);
        Assert.Equal(2 * Math.Log(2 * batch - 1), result.Loss.item<float>(), 5);
        Assert.Equal(1.0 / batch, result.Accuracy.item<float>(), 6);
        Assert.Equal(Math.Log(batch), result.Entropy.item<float>(), 5);
    }

    [Fact]
    public void SwappingTheViewsSwapsTheDirections()
    {
        using var scope = NewDisposeScope();
        var a = randn(new long[] { 4, 8 }, float64, generator: new Generator(9));
        var b = randn(new long[] { 4, 8 }, float64, generator: new Generator(10));
        using var ab = GlobalContrastiveLoss.Compute(a, b, 0.2);
        using var ba = GlobalContrastiveLoss.Compute(b, a, 0.2);
        Assert.Equal(ab.Loss.item<double>(), ba.Loss.item<double>(), 12);
        Assert.Equal(ab.LossAnchorsA.item<double>(), ba.LossAnchorsB.item<double>(), 12);
        Assert.NotEqual(ab.LossAnchorsA.item<double>(), ab.LossAnchorsB.item<double>(), 6);
    }

    [Fact]
    public void GradientReachesBothViewsAndDiagnosticsAreDetached()
    {
        using var scope = NewDisposeScope();
        var a = randn(new long[] { 3, 4 }, generator: new Generator(1)).requires_grad_(true);
        var b = randn(new long[] { 3, 4 }, generator: new Generator(2)).requires_grad_(true);
        using var inner = NewDisposeScope();
        using var result = GlobalContrastiveLoss.Compute(a, b, 0.1);
        Assert.Equal(5, inner.DisposablesCount); // only the result's tensors; intermediates were disposed
        Assert.True(result.Loss.requires_grad);
        Assert.False(result.Accuracy.requires_grad);
        Assert.False(result.Entropy.requires_grad);
        result.Loss.backward();
        Assert.True(a.grad!.abs().sum().item<float>() > 0);
        Assert.True(b.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void RejectsBadInputs()
    {
        using var scope = NewDisposeScope();
        Assert.Equal("viewB", Assert.Throws<ArgumentException>(() => GlobalContrastiveLoss.Compute(zeros(3, 4), zeros(2, 4), 0.1)).ParamName);
        Assert.Equal("viewA", Assert.Throws<ArgumentException>(() => GlobalContrastiveLoss.Compute(zeros(3), zeros(3), 0.1)).ParamName);
        Assert.Equal("viewB", Assert.Throws<ArgumentException>(() => GlobalContrastiveLoss.Compute(zeros(3, 4), zeros(new long[] { 3, 4 }, float64), 0.1)).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentOutOfRangeException>(() => GlobalContrastiveLoss.Compute(zeros(3, 4), zeros(3, 4), 0)).ParamName);
        Assert.Equal("negatives", Assert.Throws<ArgumentException>(() => GlobalContrastiveLoss.Compute(zeros(3, 4), zeros(3, 4), 0.1, zeros(3, 5))).ParamName);
        Assert.Equal("negatives", Assert.Throws<ArgumentException>(() => GlobalContrastiveLoss.Compute(zeros(3, 4), zeros(3, 4), 0.1, zeros(4))).ParamName);
        Assert.Equal("negatives", Assert.Throws<ArgumentException>(() => GlobalContrastiveLoss.Compute(zeros(3, 4), zeros(3, 4), 0.1, zeros(new long[] { 2, 4 }, float64))).ParamName);
    }

    private static Tensor ToTensor(double[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), float64).reshape(rows.Length, rows[0].Length);

    /// <summary>Independent double-precision NT-Xent with explicit loops (official formula, spec §2.2).</summary>
    private static (double LossA, double LossB, double Accuracy, double Entropy) BruteForce(double[][] a, double[][] b, double tau, double[][]? negatives = null)
    {
        var na = a.Select(Normalize).ToArray();
        var nb = b.Select(Normalize).ToArray();
        var nn = (negatives ?? []).Select(Normalize).ToArray();
        var n = a.Length;
        double Direction(double[][] anchors, double[][] others)
        {
            double total = 0;
            for (var i = 0; i < n; i++)
            {
                var logits = new List<double>();
                for (var j = 0; j < n; j++)
                {
                    logits.Add(Dot(anchors[i], others[j]) / tau);
                }

                for (var j = 0; j < n; j++)
                {
                    if (j != i)
                    {
                        logits.Add(Dot(anchors[i], anchors[j]) / tau);
                    }
                }

                foreach (var negative in nn)
                {
                    logits.Add(Dot(anchors[i], negative) / tau);
                }

                var max = logits.Max();
                var logSumExp = max + Math.Log(logits.Sum(l => Math.Exp(l - max)));
                total += logSumExp - logits[i];
            }

            return total / n;
        }

        double correct = 0, entropy = 0;
        for (var i = 0; i < n; i++)
        {
            var logits = Enumerable.Range(0, n).Select(j => Dot(na[i], nb[j]) / tau).ToArray();
            var best = 0;
            for (var j = 1; j < n; j++)
            {
                if (logits[j] > logits[best])
                {
                    best = j;
                }
            }

            correct += best == i ? 1 : 0;
            var max = logits.Max();
            var z = logits.Sum(l => Math.Exp(l - max));
            foreach (var l in logits)
            {
                var p = Math.Exp(l - max) / z;
                entropy -= p * Math.Log(p + 1e-8);
            }
        }

        return (Direction(na, nb), Direction(nb, na), correct / n, entropy / n);
    }

    internal static double[] Normalize(double[] v)
    {
        var norm = Math.Sqrt(Math.Max(v.Sum(x => x * x), 1e-12));
        return v.Select(x => x / norm).ToArray();
    }

    internal static double Dot(double[] x, double[] y) => x.Zip(y, (p, q) => p * q).Sum();
}

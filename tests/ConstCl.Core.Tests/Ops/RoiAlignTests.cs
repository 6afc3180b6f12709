using System.Globalization;
using ConstCl.Ops;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Ops;

public class RoiAlignTests
{
    public RoiAlignTests() => TorchRuntime.Initialize(2);

    private sealed record GoldenCase(
        int OutH, int OutW, double Scale, int Sampling, bool Aligned, float[] Rois, float[] Output, float[] Upstream, float[] Grad);

    private static (long[] Shape, float[] Features, List<GoldenCase> Cases) ReadGolden()
    {
        // Made by TestData/roi_align/make_roi_align_golden.py with torchvision 0.14.1 (torchvision.ops.roi_align).
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "roi_align", "roi_align_golden.txt");
        var lines = File.ReadAllLines(path);
        static float[] Numbers(string line, int skip) =>
            line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(skip).Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var header = lines[0].Split(' ');
        var shape = header.Skip(1).Select(long.Parse).ToArray();
        var features = Numbers(lines[1], 0);
        var cases = new List<GoldenCase>();
        for (var i = 2; i < lines.Length; i += 5)
        {
            var p = lines[i].Split(' ');
            Assert.Equal("case", p[0]);
            cases.Add(new GoldenCase(
                int.Parse(p[1]), int.Parse(p[2]), double.Parse(p[3], CultureInfo.InvariantCulture), int.Parse(p[4]), p[5] == "1",
                Numbers(lines[i + 1], 1), Numbers(lines[i + 2], 1), Numbers(lines[i + 3], 1), Numbers(lines[i + 4], 1)));
        }

        return (shape, features, cases);
    }

    [Fact]
    public void MatchesTorchvisionGoldenOutputsAndGradients()
    {
        var (shape, featureValues, cases) = ReadGolden();
        Assert.Equal(8, cases.Count);
        foreach (var golden in cases)
        {
            using var scope = NewDisposeScope();
            var features = tensor(featureValues).reshape(shape).requires_grad_(true);
            var rois = tensor(golden.Rois).reshape(-1, 5);
            var output = RoiAlign.Apply(features, rois, golden.OutH, golden.OutW, golden.Scale, golden.Sampling, golden.Aligned);
            Assert.Equal(new[] { rois.shape[0], shape[1], golden.OutH, golden.OutW }, output.shape);
            AssertClose(golden.Output, output.data<float>().ToArray(), 1e-5, $"output of {golden}");

            var upstream = tensor(golden.Upstream).reshape(output.shape);
            output.mul(upstream).sum().backward();
            AssertClose(golden.Grad, features.grad!.data<float>().ToArray(), 1e-5, $"gradient of {golden}");
        }
    }

    public static TheoryData<int, int, double, int, bool> Configurations => new()
    {
        { 4, 4, 1.0, 1, true },
        { 2, 3, 0.5, 2, false },
        { 3, 3, 1.0, 0, true },
        { 2, 2, 0.25, 0, false },
        { 1, 4, 2.0, 3, true },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesNestedLoopReferenceOnRandomBoxes(int outH, int outW, double scale, int sampling, bool aligned)
    {
        const int n = 3, c = 2, h = 6, w = 5;
        var random = new Random(outH * 100 + outW * 10 + sampling);
        var f = Enumerable.Range(0, n * c * h * w).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var rois = new double[25][];
        for (var i = 0; i < rois.Length; i++)
        {
            // Boxes in feature units from well outside the map to well inside, some tiny or inverted.
            double x1 = random.NextDouble() * 9 - 2, y1 = random.NextDouble() * 10 - 2;
            double bw = random.NextDouble() * 6 - (i % 7 == 0 ? 1.5 : 0), bh = random.NextDouble() * 6 - (i % 5 == 0 ? 1.5 : 0);
            rois[i] = new[] { (double)random.Next(n), x1 / scale, y1 / scale, (x1 + bw) / scale, (y1 + bh) / scale };
        }

        var expected = NaiveRoiAlign.Apply(f, n, c, h, w, rois, outH, outW, scale, sampling, aligned);

        using var scope = NewDisposeScope();
        var features = tensor(f, float64).reshape(n, c, h, w);
        var roiTensor = tensor(rois.SelectMany(r => r).ToArray(), float64).reshape(-1, 5);
        var actual = RoiAlign.Apply(features, roiTensor, outH, outW, scale, sampling, aligned);
        Assert.Equal(new long[] { rois.Length, c, outH, outW }, actual.shape);
        AssertClose(expected, actual.data<double>().ToArray(), 1e-12, "nested-loop reference");
    }

    [Fact]
    public void GradientMatchesCentralDifferences()
    {
        // float64, tiny input: d(Σ u·roi_align(f)) / df by central differences vs autograd.
        const int n = 2, c = 2, h = 3, w = 4;
        var random = new Random(7);
        var f = Enumerable.Range(0, n * c * h * w).Select(_ => random.NextDouble() - 0.5).ToArray();
        var rois = new[] { 0, -0.6, 0.2, 2.7, 2.9, 1, 1.1, -0.8, 4.6, 1.3, 1, 0.3, 0.4, 1.9, 2.2 };
        const int outH = 2, outW = 3;
        var u = Enumerable.Range(0, 3 * c * outH * outW).Select(_ => random.NextDouble() - 0.5).ToArray();

        double Objective(double[] values)
        {
            using var scope = NewDisposeScope();
            var output = RoiAlign.Apply(tensor(values, float64).reshape(n, c, h, w), tensor(rois, float64).reshape(-1, 5), outH, outW, 1.0, 2, true);
            return output.mul(tensor(u, float64).reshape(output.shape)).sum().item<double>();
        }

        double[] analytic;
        using (NewDisposeScope())
        {
            var features = tensor(f, float64).reshape(n, c, h, w).requires_grad_(true);
            var output = RoiAlign.Apply(features, tensor(rois, float64).reshape(-1, 5), outH, outW, 1.0, 2, true);
            output.mul(tensor(u, float64).reshape(output.shape)).sum().backward();
            analytic = features.grad!.data<double>().ToArray();
        }

        const double step = 1e-6;
        var numeric = new double[f.Length];
        for (var i = 0; i < f.Length; i++)
        {
            var plus = (double[])f.Clone();
            var minus = (double[])f.Clone();
            plus[i] += step;
            minus[i] -= step;
            numeric[i] = (Objective(plus) - Objective(minus)) / (2 * step);
        }

        Assert.Contains(numeric, v => Math.Abs(v) > 1e-3); // the boxes touch both images
        AssertClose(numeric, analytic, 1e-8, "finite differences");
    }

    [Fact]
    public void ReproducesOfficialTensorFlowCropWithHalfPixelShift()
    {
        // Spec §3.3: official ROI features sample y_i = y1 + (i + 0.5)·h/4 with pixel k at coordinate k
        // (bilinear, clamped to the map). With boxes inside the map this equals aligned RoiAlign on boxes
        // shifted by +0.5, sampling ratio 1.
        const int c = 3, size = 7;
        var random = new Random(11);
        var f = Enumerable.Range(0, 2 * c * size * size).Select(_ => random.NextDouble()).ToArray();
        var boxes = Enumerable.Range(0, 2 * 3).SelectMany(_ =>
        {
            double x1 = random.NextDouble() * 4, y1 = random.NextDouble() * 4;
            return new[] { x1, y1, x1 + 0.5 + random.NextDouble() * 2.4, y1 + 0.5 + random.NextDouble() * 2.4 };
        }).ToArray();

        using var scope = NewDisposeScope();
        var rois = BoxConversions.ToRois(tensor(boxes, float64).reshape(2, 3, 4), shift: 0.5);
        var actual = RoiAlign.Apply(tensor(f, float64).reshape(2, c, size, size), rois, 4, 4, 1.0, 1, aligned: true).data<double>().ToArray();

        for (var k = 0; k < 6; k++)
        {
            var b = k / 3;
            double x1 = boxes[k * 4], y1 = boxes[k * 4 + 1], x2 = boxes[k * 4 + 2], y2 = boxes[k * 4 + 3];
            for (var ch = 0; ch < c; ch++)
            {
                for (var i = 0; i < 4; i++)
                {
                    for (var j = 0; j < 4; j++)
                    {
                        var y = y1 + (i + 0.5) * (y2 - y1) / 4;
                        var x = x1 + (j + 0.5) * (x2 - x1) / 4;
                        int y0 = Math.Clamp((int)Math.Floor(y), 0, size - 1), x0 = Math.Clamp((int)Math.Floor(x), 0, size - 1);
                        int y1i = Math.Min(y0 + 1, size - 1), x1i = Math.Min(x0 + 1, size - 1);
                        double ly = y - y0, lx = x - x0;
                        double F(int yy, int xx) => f[((b * c + ch) * size + yy) * size + xx];
                        var expected = (1 - ly) * (1 - lx) * F(y0, x0) + (1 - ly) * lx * F(y0, x1i) + ly * (1 - lx) * F(y1i, x0) + ly * lx * F(y1i, x1i);
                        Assert.Equal(expected, actual[((k * c + ch) * 4 + i) * 4 + j], 10);
                    }
                }
            }
        }
    }

    [Fact]
    public void LeavesOnlyItsOutputInTheCallersScope()
    {
        using var features = randn(2, 3, 5, 5).requires_grad_(true);
        using var rois = tensor(new float[] { 0, 0.5f, 0.5f, 3, 4, 1, -1, 2, 6, 6 }).reshape(2, 5);
        using var scope = NewDisposeScope();
        var output = RoiAlign.Apply(features, rois, 2, 2, 1.0, 0, false);
        Assert.Equal(1, scope.DisposablesCount);
        Assert.True(output.requires_grad);
    }

    [Fact]
    public void EmptyRoiListGivesEmptyOutput()
    {
        using var scope = NewDisposeScope();
        var output = RoiAlign.Apply(zeros(1, 3, 4, 4), zeros(0, 5), 2, 2, 1.0, 1, true);
        Assert.Equal(new long[] { 0, 3, 2, 2 }, output.shape);
    }

    [Fact]
    public void RejectsBadInputsWithNamedErrors()
    {
        using var scope = NewDisposeScope();
        var features = zeros(2, 3, 4, 4);
        var rois = tensor(new float[] { 0, 0, 0, 2, 2 }).reshape(1, 5);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => RoiAlign.Apply(zeros(3, 4, 4), rois, 2, 2, 1, 1, true)).ParamName);
        Assert.Equal("features", Assert.Throws<ArgumentException>(() => RoiAlign.Apply(zeros(new long[] { 2, 3, 4, 4 }, int32), rois, 2, 2, 1, 1, true)).ParamName);
        Assert.Equal("rois", Assert.Throws<ArgumentException>(() => RoiAlign.Apply(features, zeros(1, 4), 2, 2, 1, 1, true)).ParamName);
        var badBatch = Assert.Throws<ArgumentException>(() => RoiAlign.Apply(features, tensor(new float[] { 2, 0, 0, 2, 2 }).reshape(1, 5), 2, 2, 1, 1, true));
        Assert.Contains("batch index", badBatch.Message);
        Assert.Throws<ArgumentException>(() => RoiAlign.Apply(features, tensor(new float[] { 0.5f, 0, 0, 2, 2 }).reshape(1, 5), 2, 2, 1, 1, true));
        var nonFinite = Assert.Throws<ArgumentException>(() => RoiAlign.Apply(features, tensor(new float[] { 0, 0, float.NaN, 2, 2 }).reshape(1, 5), 2, 2, 1, 1, true));
        Assert.Contains("rois[0, 2] must be finite", nonFinite.Message);
        Assert.Equal("outputHeight", Assert.Throws<ArgumentOutOfRangeException>(() => RoiAlign.Apply(features, rois, 0, 2, 1, 1, true)).ParamName);
        Assert.Equal("spatialScale", Assert.Throws<ArgumentOutOfRangeException>(() => RoiAlign.Apply(features, rois, 2, 2, 0, 1, true)).ParamName);
    }

    internal static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, double tolerance, string what)
        => AssertClose(expected.Select(v => (double)v).ToArray(), actual.Select(v => (double)v).ToArray(), tolerance, what);

    internal static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            if (Math.Abs(expected[i] - actual[i]) > tolerance)
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {expected[i]:R} (tolerance {tolerance}).");
            }
        }
    }
}

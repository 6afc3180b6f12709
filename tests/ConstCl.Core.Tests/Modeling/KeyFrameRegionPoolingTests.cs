using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class KeyFrameRegionPoolingTests
{
    public KeyFrameRegionPoolingTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void MatchesABruteForceOfTheOfficialBilinearRule()
    {
        using var g = new Generator(11);
        const int B = 2, C = 3, H = 6, W = 7, N = 5, Crop = 4;
        using var features = randn([B, C, H, W], generator: g);
        using var boxes = ModelTestData.Boxes(B, 1, N, g).squeeze(1);                    // [B, N, 4] (x1, y1, x2, y2)
        // Include boxes touching the far edges (coordinate H, W after scaling): the official rule returns row H−1.
        boxes[0, 0] = tensor(new float[] { 0.5f, 0.25f, 1f, 1f });
        boxes[1, 4] = tensor(new float[] { 0f, 0f, 1f, 1f });
        using var pooled = KeyFrameRegionPooling.Pool(features, boxes, Crop);
        Assert.Equal(new long[] { B, N, C }, pooled.shape);

        var f = features.data<float>().ToArray();
        var bx = boxes.data<float>().ToArray();
        var actual = pooled.data<float>().ToArray();
        for (var b = 0; b < B; b++)
        {
            for (var n = 0; n < N; n++)
            {
                // Official order is (y1, x1, y2, x2) in feature units: convert from our normalised (x1, y1, x2, y2).
                var o = (b * N + n) * 4;
                double x1 = bx[o] * W, y1 = bx[o + 1] * H, x2 = bx[o + 2] * W, y2 = bx[o + 3] * H;
                for (var c = 0; c < C; c++)
                {
                    double sum = 0;
                    for (var i = 0; i < Crop; i++)
                    {
                        for (var j = 0; j < Crop; j++)
                        {
                            var y = y1 + (i + 0.5) * (y2 - y1) / Crop;
                            var x = x1 + (j + 0.5) * (x2 - x1) / Crop;
                            sum += Bilinear(f, b, c, y, x, C, H, W);
                        }
                    }

                    Assert.Equal(sum / (Crop * Crop), actual[(b * N + n) * C + c], 5);
                }
            }
        }
    }

    [Fact]
    public void ReadsXFromWidthAndYFromHeight()
    {
        // f[0, y, x] = x and f[1, y, x] = y are linear, so bilinear sampling is exact: the pooled values are the box
        // centre in feature pixels, (x1 + x2)/2·W and (y1 + y2)/2·H (inside [0, W−1] × [0, H−1]).
        const int H = 5, W = 9;
        using var xs = arange(W, dtype: ScalarType.Float32).expand(H, W);
        using var ys = arange(H, dtype: ScalarType.Float32).unsqueeze(1).expand(H, W);
        using var features = stack([xs, ys], 0).unsqueeze(0);                            // [1, 2, H, W]
        using var boxes = tensor(new float[] { 0.1f, 0.2f, 0.5f, 0.6f }).view(1, 1, 4);
        using var pooled = KeyFrameRegionPooling.Pool(features, boxes, 4);
        Assert.Equal(0.3 * W, pooled[0, 0, 0].item<float>(), 5);
        Assert.Equal(0.4 * H, pooled[0, 0, 1].item<float>(), 5);
    }

    [Fact]
    public void ConstantFeaturesPoolToThatConstantAndGradientsFlow()
    {
        using var features = full(new long[] { 1, 4, 7, 7 }, 0.25f).requires_grad_();
        using var boxes = tensor(new float[] { 0f, 0f, 0.3f, 0.3f, 0.6f, 0.1f, 0.999f, 0.9f }).view(1, 2, 4);
        using var pooled = KeyFrameRegionPooling.Pool(features, boxes, 4);
        Assert.True(pooled.allclose(full(new long[] { 1, 2, 4 }, 0.25f)));
        pooled.sum().backward();
        // Each box spreads a total weight of 1 per channel over the map: 2 boxes × 4 channels.
        Assert.Equal(8.0, features.grad!.sum().item<float>(), 4);
    }

    [Fact]
    public void RejectsBadShapes()
    {
        using var features = zeros(2, 3, 4, 4);
        using var boxes = zeros(2, 5, 3);
        Assert.Equal("boxes", Assert.Throws<ArgumentException>(() => KeyFrameRegionPooling.Pool(features, boxes, 4)).ParamName);
    }

    // Spec §3.3: y0 = clamp(floor(y), 0, H−1), y1 = min(y0 + 1, H−1), ly = y − y0 (same for x).
    private static double Bilinear(float[] f, int b, int c, double y, double x, int channels, int h, int w)
    {
        var y0 = Math.Clamp((int)Math.Floor(y), 0, h - 1);
        var x0 = Math.Clamp((int)Math.Floor(x), 0, w - 1);
        var y1 = Math.Min(y0 + 1, h - 1);
        var x1 = Math.Min(x0 + 1, w - 1);
        double ly = y - y0, lx = x - x0, hy = 1 - ly, hx = 1 - lx;
        // For y ∈ [H−1, H) both rows are H−1, so the rule returns f[H−1] (no zero padding).
        double At(int yy, int xx) => f[((b * channels + c) * h + yy) * w + xx];
        return hy * hx * At(y0, x0) + hy * lx * At(y0, x1) + ly * hx * At(y1, x0) + ly * lx * At(y1, x1);
    }
}

using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// libtorch 2.10's CPU Conv3d returns a wrong input gradient when the output channels are not a multiple of 16
/// (<see cref="NarrowConvGradientFix"/>). Evidence here is float64 autograd of the same convolution, which runs a
/// different kernel: the fixed path must agree with it to float32 precision, every time.
/// </summary>
public class NarrowConvGradientFixTests
{
    public NarrowConvGradientFixTests() => TorchRuntime.Initialize(2);

    [Theory]
    [InlineData(16, 8, 1, 3)]     // Tiny's res2 spatial conv
    [InlineData(8, 8, 3, 1)]      // a temporal conv
    [InlineData(16, 20, 3, 3)]    // not a multiple of 16 above 16
    [InlineData(16, 4, 1, 3)]
    public void InputAndWeightGradientsEqualTheFloat64Reference(int inChannels, int outChannels, int kt, int kh)
    {
        using var conv = nn.Conv3d(inChannels, outChannels, (kt, kh, kh), padding: (kt / 2, kh / 2, kh / 2), bias: false);
        using var g = new Generator(3);
        using var x = randn([6, inChannels, 4, 12, 12], generator: g);
        using var upstream = randn([6, outChannels, 4, 12, 12], generator: g);
        var (refX, refW, refY) = Float64Gradients(conv.weight!, x, upstream, kt, kh);
        for (var repeat = 0; repeat < 3; repeat++)   // the defect gave a different wrong answer on every call
        {
            conv.zero_grad();
            using var input = x.clone().requires_grad_(true);
            Assert.True(NarrowConvGradientFix.NeedsFix(conv.weight!, input));
            using var y = NarrowConvGradientFix.Forward(conv, input);
            y.backward([upstream]);
            AssertClose(refY, y.detach(), "forward");
            AssertClose(refX, input.grad!, "input gradient");
            AssertClose(refW, conv.weight!.grad!, "weight gradient");
        }
    }

    [Fact]
    public void MultiplesOf16AndInferenceTakeThePlainPath()
    {
        using var wide = nn.Conv3d(8, 32, (1, 3, 3), padding: (0, 1, 1), bias: false);
        using var narrow = nn.Conv3d(8, 8, (1, 3, 3), padding: (0, 1, 1), bias: false);
        using var x = randn([1, 8, 2, 6, 6]).requires_grad_(true);
        Assert.False(NarrowConvGradientFix.NeedsFix(wide.weight!, x));
        Assert.True(NarrowConvGradientFix.NeedsFix(narrow.weight!, x));
        using (no_grad())
        {
            Assert.False(NarrowConvGradientFix.NeedsFix(narrow.weight!, x));
        }

        using var detached = x.detach();
        Assert.False(NarrowConvGradientFix.NeedsFix(narrow.weight!, detached));
        using var plain = narrow.forward(detached);
        using var routed = NarrowConvGradientFix.Forward(narrow, x);
        Assert.True(plain.allclose(routed.detach(), rtol: 1e-5, atol: 1e-6));
    }

    private static (Tensor X, Tensor W, Tensor Y) Float64Gradients(Tensor weight, Tensor x, Tensor upstream, int kt, int kh)
    {
        using var w64 = weight.detach().to(ScalarType.Float64).requires_grad_(true);
        using var x64 = x.to(ScalarType.Float64).requires_grad_(true);
        using var y64 = nn.functional.conv3d(x64, w64, null, [1, 1, 1], [kt / 2, kh / 2, kh / 2]);
        y64.backward([upstream.to(ScalarType.Float64)]);
        return (x64.grad!.clone(), w64.grad!.clone(), y64.detach().clone());
    }

    /// <summary>Asserts max |actual − expected| ≤ <paramref name="relative"/> · max |expected|, both read as float64 (NaN fails).</summary>
    internal static void AssertClose(Tensor expected, Tensor actual, string what, double relative = 1e-5)
    {
        using var a = actual.to(ScalarType.Float64);
        using var e = expected.to(ScalarType.Float64);
        var scale = e.abs().max().item<double>();
        var error = a.sub(e).abs().nan_to_num(1e30).max().item<double>();
        Assert.True(error <= relative * scale, $"{what}: max |float32 − float64| = {error:g3} (scale {scale:g3})");
    }
}

using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static ConstCl.Core.Tests.Modeling.NarrowConvGradientFixTests;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// The basic-block backbone runs channels-last on the CPU (<see cref="ChannelsLastLayout"/>) and computes 1×1×1
/// convolutions of such inputs as a matrix product (<see cref="BackboneConv"/>), because libtorch 2.10's channels-last
/// 1×1×1 kernel gives wrong values for some channel counts (80 and 112 among them). Evidence is float64 autograd of the
/// same convolution in the default layout.
/// </summary>
public class ChannelsLastLayoutTests
{
    public ChannelsLastLayoutTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void ApplyKeepsTheValuesAndGivesChannelsLastStrides()
    {
        using var g = new Generator(1);
        using var x = randn([2, 3, 4, 5, 6], generator: g);
        Assert.False(ChannelsLastLayout.IsChannelsLast(x));
        using var y = ChannelsLastLayout.Apply(x);
        Assert.True(ChannelsLastLayout.IsChannelsLast(y));
        Assert.Equal(new long[] { 360, 1, 90, 18, 3 }, y.stride());
        Assert.Equal(x.shape, y.shape);
        Assert.True(x.eq(y).all().item<bool>());
        Assert.Same(y, ChannelsLastLayout.Apply(y));   // already in the layout: no copy

        using var flat = randn([2, 3, 4], generator: g);
        Assert.Same(flat, ChannelsLastLayout.Apply(flat));
        Assert.False(ChannelsLastLayout.IsChannelsLast(flat));
    }

    [Theory]
    [InlineData(16, 32, 2, false)]    // Small's res3 shortcut
    [InlineData(64, 128, 2, false)]   // Small's res5 shortcut
    [InlineData(32, 80, 1, false)]    // libtorch's own channels-last kernel is wrong here
    [InlineData(48, 112, 2, true)]    // and here
    [InlineData(16, 8, 1, true)]      // narrow output (NarrowConvGradientFix's case in the default layout)
    public void PointwiseConvolutionOfAChannelsLastInputEqualsFloat64(int inChannels, int outChannels, int stride, bool bias)
    {
        using var conv = nn.Conv3d(inChannels, outChannels, (1, 1, 1), stride: (1, stride, stride), bias: bias);
        using var g = new Generator(5);
        using var x = randn([3, inChannels, 4, 8, 8], generator: g);
        using var input = ChannelsLastLayout.Apply(x).detach().requires_grad_(true);
        Assert.True(BackboneConv.IsPointwise(conv));
        using var y = BackboneConv.Forward(conv, input);
        Assert.True(ChannelsLastLayout.IsChannelsLast(y), "the product keeps the layout");
        using var upstream = randn(y.shape, generator: g);
        y.backward([upstream]);

        using var w64 = conv.weight!.detach().to(ScalarType.Float64).requires_grad_(true);
        using var b64 = conv.bias?.detach().to(ScalarType.Float64).requires_grad_(true);
        using var x64 = x.to(ScalarType.Float64).requires_grad_(true);
        using var y64 = nn.functional.conv3d(x64, w64, b64, [1, stride, stride]);
        y64.backward([upstream.to(ScalarType.Float64)]);
        AssertClose(y64.detach(), y.detach(), "forward");
        AssertClose(x64.grad!, input.grad!, "input gradient");
        AssertClose(w64.grad!, conv.weight!.grad!, "weight gradient");
        if (bias)
        {
            AssertClose(b64!.grad!, conv.bias!.grad!, "bias gradient");
        }
    }

    [Theory]
    [InlineData(3, 16, 3, 5, 2)]      // Small's stem
    [InlineData(16, 16, 1, 3, 1)]     // res2
    [InlineData(16, 32, 3, 3, 2)]     // res3's first convolution
    [InlineData(128, 128, 3, 3, 1)]   // res5's second
    [InlineData(32, 80, 3, 3, 1)]     // an output count whose 1×1×1 kernel is wrong channels-last
    [InlineData(16, 8, 3, 1, 1)]      // narrow, temporal only
    public void OtherKernelsOfAChannelsLastInputEqualFloat64(int inChannels, int outChannels, int kt, int kh, int stride)
    {
        using var conv = nn.Conv3d(inChannels, outChannels, (kt, kh, kh), stride: (1, stride, stride), padding: (kt / 2, kh / 2, kh / 2), bias: false);
        using var g = new Generator(7);
        using var x = randn([3, inChannels, 4, 8, 8], generator: g);
        using var input = ChannelsLastLayout.Apply(x).detach().requires_grad_(true);
        Assert.False(BackboneConv.IsPointwise(conv));
        using var y = BackboneConv.Forward(conv, input);
        using var upstream = randn(y.shape, generator: g);
        y.backward([upstream]);

        using var w64 = conv.weight!.detach().to(ScalarType.Float64).requires_grad_(true);
        using var x64 = x.to(ScalarType.Float64).requires_grad_(true);
        using var y64 = nn.functional.conv3d(x64, w64, null, [1, stride, stride], [kt / 2, kh / 2, kh / 2]);
        y64.backward([upstream.to(ScalarType.Float64)]);
        AssertClose(y64.detach(), y.detach(), "forward");
        AssertClose(x64.grad!, input.grad!, "input gradient");
        AssertClose(w64.grad!, conv.weight!.grad!, "weight gradient");
    }

    [Fact]
    public void TheSmallBackboneRunsChannelsLastAndEqualsItsFloat64Copy()
    {
        using var model = ResNet3dY.Create(ConstClModelOptions.Small.Backbone, new Generator(11));
        using var model64 = ResNet3dY.Create(ConstClModelOptions.Small.Backbone, new Generator(11));
        model64.to(ScalarType.Float64);
        model.eval();
        model64.eval();
        using var _ = no_grad();
        using var g = new Generator(12);
        using var x = rand([2, 3, 8, 64, 64], generator: g);
        using var features = model.forward(x);
        using var features64 = model64.forward(x.to(ScalarType.Float64));
        Assert.True(ChannelsLastLayout.IsChannelsLast(features.Res5), "Small's res5 should come out channels-last");
        AssertClose(features64.Res5, features.Res5, "res5", 1e-4);
        AssertClose(features64.Res5Local, features.Res5Local, "res5_local", 1e-4);
    }

    [Fact]
    public void TheBottleneckBackboneKeepsTheDefaultLayout()
    {
        using var model = ResNet3dY.Create(ConstClModelOptions.Tiny.Backbone, new Generator(11));
        model.eval();
        using var _ = no_grad();
        using var x = rand([1, 3, 8, 64, 64]);
        using var features = model.forward(x);
        Assert.True(features.Res5.is_contiguous());
    }
}

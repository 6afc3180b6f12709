using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class ParameterInitTests
{
    public ParameterInitTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void ConvKernelsFollowKerasVarianceScaling()
    {
        using var g = new Generator(5);
        using var w = empty([256, 128, 3, 1, 1]);
        ParameterInit.VarianceScaling(w, g);
        var fanIn = 128 * 3;
        // Keras: σ_raw = √(1/fan_in)/0.87962566, truncated at ±2σ_raw, giving variance 1/fan_in.
        var bound = 2 * Math.Sqrt(1.0 / fanIn) / 0.87962566103423978;
        Assert.True(w.abs().max().item<float>() <= bound * (1 + 1e-5));
        var std = w.std().item<float>();
        Assert.InRange(std, Math.Sqrt(1.0 / fanIn) * 0.98, Math.Sqrt(1.0 / fanIn) * 1.02);
        Assert.InRange(w.mean().item<float>(), -1e-3, 1e-3);
    }

    [Fact]
    public void DenseLayersAreGlorotUniformWithZeroBias()
    {
        using var g = new Generator(6);
        using var linear = ParameterInit.Dense(300, 200, bias: true, g);
        var limit = Math.Sqrt(6.0 / 500);
        Assert.True(linear.weight!.abs().max().item<float>() <= limit);
        // U(−a, a) has variance a²/3.
        Assert.InRange(linear.weight.var().item<float>(), limit * limit / 3 * 0.97, limit * limit / 3 * 1.03);
        Assert.Equal(0f, linear.bias!.abs().max().item<float>());
    }

    [Fact]
    public void SameSeedSameWeightsAndBatchNormStartsAtIdentity()
    {
        using var a = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 3);
        using var b = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 3);
        using var c = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 4);
        var pa = a.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var pb = b.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var pc = c.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in pa)
        {
            Assert.True(p.SameAs(pb[name]), name);
        }

        Assert.False(pa["backbone.stem.conv.weight"].SameAs(pc["backbone.stem.conv.weight"]));
        Assert.True(pa["backbone.res4.2.spatial_bn.weight"].eq(1).all().item<bool>());
        Assert.True(pa["backbone.res4.2.spatial_bn.bias"].eq(0).all().item<bool>());
    }
}

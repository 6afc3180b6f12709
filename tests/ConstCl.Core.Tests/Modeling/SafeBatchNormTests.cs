using ConstCl.Export;
using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// <see cref="SafeBatchNorm"/> is TorchSharp's BatchNorm1d/3d with kept-alive Scalars: same state-dict names, dtypes and
/// values, and bitwise the same outputs, gradients and running statistics over several training steps.
/// </summary>
public class SafeBatchNormTests
{
    [Fact]
    public void ThreeDimensionalMatchesTorchSharpBitwise()
    {
        TorchRuntime.Initialize(2);
        using var reference = nn.BatchNorm3d(4, eps: 1e-3, momentum: 0.003);
        using var safe = SafeBatchNorm.Create3d(4, eps: 1e-3, momentum: 0.003);
        AssertSameTraining(reference, safe, seed => randn([3, 4, 2, 5, 5], generator: seed) * 2 + 1);
    }

    [Fact]
    public void OneDimensionalMatchesTorchSharpBitwise()
    {
        TorchRuntime.Initialize(2);
        using var reference = nn.BatchNorm1d(6);
        using var safe = SafeBatchNorm.Create1d(6);
        AssertSameTraining(reference, safe, seed => randn([8, 6], generator: seed) * 3 - 2);
    }

    [Fact]
    public void RejectsInputOfTheWrongRank()
    {
        TorchRuntime.Initialize(2);
        using var bn3 = SafeBatchNorm.Create3d(4);
        using var bn1 = SafeBatchNorm.Create1d(4);
        using var x4 = zeros(2, 4, 3, 3);
        Assert.Contains("[B, C, T, H, W]", Assert.Throws<ArgumentException>(() => bn3.call(x4)).Message);
        Assert.Contains("[N, C]", Assert.Throws<ArgumentException>(() => bn1.call(x4)).Message);
    }

    [Fact]
    public void ExporterAndNormBaseReadersSeeABatchNorm()
    {
        TorchRuntime.Initialize(2);
        using var bn = SafeBatchNorm.Create3d(5, eps: 1e-3, momentum: 0.01);
        nn.Module<Tensor, Tensor> module = bn;
        var norm = Assert.IsAssignableFrom<BatchNorm>(module);
        Assert.Equal(5, norm.num_features);
        Assert.Equal(1e-3, norm.eps);
        Assert.Equal(0.01, norm.momentum);
        using var reference = nn.BatchNorm3d(5);
        Assert.Equal(reference.state_dict().Keys.Order(StringComparer.Ordinal), bn.state_dict().Keys.Order(StringComparer.Ordinal));
        var parameters = BatchNormParameters.FromModule(bn);
        Assert.Same(bn.running_mean, parameters.Mean);
        Assert.Equal(1e-3, parameters.Epsilon);
    }

    private static void AssertSameTraining(BatchNorm reference, SafeBatchNorm safe, Func<Generator, Tensor> input)
    {
        using (no_grad())
        {
            using var g = new Generator(7);
            reference.weight!.copy_(rand(reference.weight.shape, generator: g) + 0.5);
            reference.bias!.copy_(randn(reference.bias.shape, generator: g));
        }

        safe.load_state_dict(reference.state_dict());
        AssertSameState(reference, safe);
        using var generator = new Generator(11);
        for (var step = 0; step < 4; step++)
        {
            using var scope = NewDisposeScope();
            reference.train();
            safe.train();
            var x = input(generator);
            var xr = x.detach().requires_grad_(true);
            var xs = x.detach().requires_grad_(true);
            var yr = reference.call(xr);
            var ys = safe.call(xs);
            AssertBitwise(yr, ys, $"train output, step {step}");
            var upstream = randn(yr.shape, generator: generator);
            yr.mul(upstream).sum().backward();
            ys.mul(upstream).sum().backward();
            AssertBitwise(xr.grad!, xs.grad!, $"input gradient, step {step}");
            AssertBitwise(reference.weight!.grad!, safe.weight!.grad!, $"γ gradient, step {step}");
            AssertBitwise(reference.bias!.grad!, safe.bias!.grad!, $"β gradient, step {step}");
            reference.zero_grad();
            safe.zero_grad();
            AssertSameState(reference, safe);

            reference.eval();
            safe.eval();
            using (no_grad())
            {
                AssertBitwise(reference.call(x), safe.call(x), $"eval output, step {step}");
            }
        }

        Assert.Equal(4L, safe.num_batches_tracked!.item<long>());
    }

    private static void AssertSameState(nn.Module reference, nn.Module safe)
    {
        var expected = reference.state_dict();
        var actual = safe.state_dict();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, value) in expected)
        {
            Assert.Equal(value.dtype, actual[key].dtype);
            AssertBitwise(value, actual[key], key);
        }
    }

    private static void AssertBitwise(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        var bytes = (Tensor t) => t.detach().cpu().contiguous().bytes.ToArray();
        Assert.True(bytes(expected).AsSpan().SequenceEqual(bytes(actual)), $"{what} differs");
    }
}

using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

public class GradientClippingTests
{
    [Fact]
    public void ClipsToTheMaximumGlobalNormAndReturnsTheNormBefore()
    {
        TorchRuntime.Initialize(2);
        using var a = new Parameter(torch.zeros(2));
        using var b = new Parameter(torch.zeros(1));
        using (var loss = (a * torch.tensor(new[] { 3f, 0f })).sum() + (b * torch.tensor(new[] { 4f })).sum())
        {
            loss.backward();
        }

        // Global norm of (3, 0, 4) is 5; clip to 1 → scale 1/(5 + 1e-6).
        using var norm = GradientClipping.ClipGlobalNorm([a, b], 1.0);
        Assert.Equal(5f, norm.item<float>(), 1e-6);
        Assert.Equal(3 / (5 + 1e-6), a.grad!.data<float>()[0], 1e-6);
        Assert.Equal(4 / (5 + 1e-6), b.grad!.data<float>()[0], 1e-6);
        using var after = GradientClipping.GlobalNorm([a, b]);
        Assert.Equal(1f, after.item<float>(), 1e-5);

        // Below the threshold nothing changes.
        using var again = GradientClipping.ClipGlobalNorm([a, b], 10.0);
        Assert.Equal(4 / (5 + 1e-6), b.grad!.data<float>()[0], 1e-6);
    }

    [Fact]
    public void NonFiniteGradientsGiveANonFiniteNorm()
    {
        TorchRuntime.Initialize(2);
        using var a = new Parameter(torch.ones(2));
        using (var loss = (a * torch.tensor(new[] { float.NaN, 1f })).sum())
        {
            loss.backward();
        }

        using var norm = GradientClipping.GlobalNorm([a]);
        Assert.False(NonFiniteGuard.AllFinite(norm));
    }
}

using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;

namespace ConstCl.Core.Tests.Training;

public class NonFiniteGuardTests
{
    [Fact]
    public void SkipsAndCountsThenThrowsAfterTheLimitInARow()
    {
        var guard = new NonFiniteGuard(3);
        Assert.True(guard.Observe(0, true));
        Assert.False(guard.Observe(1, false));
        Assert.False(guard.Observe(2, false));
        Assert.True(guard.Observe(3, true)); // a finite step resets the run
        Assert.Equal(0, guard.Consecutive);
        Assert.False(guard.Observe(4, false));
        Assert.False(guard.Observe(5, false));
        var ex = Assert.Throws<TrainingDivergedException>(() => guard.Observe(6, false));
        Assert.Equal(3, ex.Consecutive);
        Assert.Equal(6, ex.Step);
        Assert.Equal(3, ex.LastGoodStep);
        Assert.Contains("3 consecutive steps", ex.Message);
        Assert.Equal(5, guard.TotalSkipped);
    }

    [Fact]
    public void ChecksLossAndGradientNormTensors()
    {
        TorchRuntime.Initialize(2);
        using var finite = torch.tensor(1.5f);
        using var nan = torch.tensor(float.NaN);
        using var inf = torch.tensor(float.PositiveInfinity);
        var guard = new NonFiniteGuard(10);
        Assert.True(guard.Observe(0, finite, finite));
        Assert.False(guard.Observe(1, nan, finite));
        Assert.False(guard.Observe(2, finite, inf));
        Assert.Equal(2, guard.Consecutive);
    }
}

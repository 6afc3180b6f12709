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

    [Fact]
    public void ASkippedStepLeavesWeightsAndVelocitiesUntouched()
    {
        using var model = TrainingTestModels.Mlp(8);
        using var optimizer = ConstClOptimizer.Create(PretrainingOptions.TinyOfficial, model);
        var parameters = model.parameters().ToArray();
        var guard = new NonFiniteGuard(2);
        var weights = TrainingTestModels.Bytes(model);
        var velocities = TrainingTestModels.Bytes(optimizer.ExportState());
        model.eval(); // BatchNorm statistics must not move either

        using var x = torch.full(3, 4, float.NaN);
        optimizer.zero_grad();
        using var loss = model.call(x).square().mean();
        loss.backward();
        using var norm = GradientClipping.GlobalNorm(parameters);
        if (guard.Observe(0, loss, norm))
        {
            optimizer.LearningRate = 0.1;
            optimizer.step();
        }

        Assert.Equal(1, guard.TotalSkipped);
        TrainingTestModels.AssertBitwiseEqual(weights, TrainingTestModels.Bytes(model));
        TrainingTestModels.AssertBitwiseEqual(velocities, TrainingTestModels.Bytes(optimizer.ExportState()));
    }
}

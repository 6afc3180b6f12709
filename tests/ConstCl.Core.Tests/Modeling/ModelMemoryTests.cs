using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class ModelMemoryTests
{
    [Fact]
    public void TrainingStepsLeaveNoLiveTensorsBehind()
    {
        TorchRuntime.Initialize(2);
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 1);
        var input = ModelTestData.Input(batch: 2, frames: 8, size: 32, boxes: 4, seed: 2);
        var stats = DisposeScopeManager.Statistics;

        void Step()
        {
            using var scope = NewDisposeScope();
            using var output = model.forward(input);
            var loss = output.GlobalEmbeddings.square().mean() + output.PredictionsAToB.mul(output.RegionFeaturesB).sum(-1).mean();
            loss.backward();
        }

        Step();
        var live = stats.ThreadTotalLiveCount;
        var outside = stats.CreatedOutsideScopeCount - stats.DisposedOutsideScopeCount;
        var detached = stats.DetachedFromScopeCount;
        Step();
        Step();
        // Every tensor made inside forward is owned by a dispose scope and freed with it; none escapes outside a scope.
        Assert.Equal(live, stats.ThreadTotalLiveCount);
        Assert.Equal(outside, stats.CreatedOutsideScopeCount - stats.DisposedOutsideScopeCount);
        Assert.Equal(detached, stats.DetachedFromScopeCount);
    }
}

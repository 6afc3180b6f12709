using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

public class TrainingStepLeakTests
{
    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Lars)]
    public void LiveTensorCountStaysFlatAcrossSteps(OptimizerKind kind)
    {
        using var model = TrainingTestModels.Mlp(3);
        var options = PretrainingOptions.Tiny with { Optimizer = kind };
        using var optimizer = ConstClOptimizer.Create(options, model);
        var decay = new KernelWeightDecay(model, options.WeightDecay);
        var schedule = LearningRateSchedule.From(options);
        var guard = new NonFiniteGuard(3);
        var parameters = model.parameters().ToArray();
        using var x = torch.rand(5, 4);

        void Step(int step)
        {
            using var scope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = model.call(x).square().mean() + decay.Compute();
            loss.backward();
            var norm = GradientClipping.ClipGlobalNorm(parameters, 1.0);
            if (guard.Observe(step, loss, norm))
            {
                optimizer.LearningRate = schedule.At(step);
                optimizer.step();
            }
        }

        for (var s = 0; s < 3; s++)
        {
            Step(s); // gradients are allocated by the first backward
        }

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var s = 3; s < 20; s++)
        {
            Step(s);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

/// <summary>The training step the pre-training loop runs (<see cref="TrainingStep"/>) leaves no native tensor behind.</summary>
public class TrainingStepLeakTests
{
    /// <summary>A narrow network of the Tiny topology (blocks [1,1,1,1] at width 4) on 8×32² clips: every module kind, fast.</summary>
    private static readonly ConstClModelOptions Narrow = ConstClModelOptions.Tiny with
    {
        Backbone = ConstClModelOptions.Tiny.Backbone with { StemChannels = 4, StageWidths = [4, 4, 4, 4], StageBlocks = [1, 1, 1, 1], TemporalKernels = [[1], [1], [3], [3]] },
        GlobalHead = ConstClModelOptions.Tiny.GlobalHead with { HiddenChannels = 8, OutputChannels = 4 },
        LocalHead = ConstClModelOptions.Tiny.LocalHead with { Width = 4 },
        InputSize = 32,
    };

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Lars)]
    [InlineData(OptimizerKind.AdamW)]
    public void LiveTensorCountStaysFlatAcrossSteps(OptimizerKind kind)
    {
        TorchRuntime.Initialize(2);
        var options = PretrainingOptions.TinyOfficial with { Optimizer = kind, Model = Narrow, BatchSize = 2 };
        using var model = ConstClModel.Create(Narrow, seed: 1);
        model.train();
        using var optimizer = ConstClOptimizer.Create(options, model);
        var step = new TrainingStep(model, optimizer, options);
        var schedule = LearningRateSchedule.From(options);
        var guard = new NonFiniteGuard(3);
        using var generator = new Generator(5);

        void Step(int s)
        {
            using var scope = torch.NewDisposeScope();
            var result = step.Compute(RandomTrainingInput.Create(2, Narrow.InputFrames, Narrow.InputSize, 4, generator));
            if (guard.Observe(s, result.Loss, result.GradientNorm))
            {
                step.Apply(schedule.At(s));
            }
            else
            {
                step.Revert();
            }
        }

        for (var s = 0; s < 3; s++)
        {
            Step(s); // gradients and optimiser state are allocated by the first steps
        }

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var s = 3; s < 15; s++)
        {
            Step(s);
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void RevertPutsBackTheBatchNormStatisticsAndLeavesTheWeights()
    {
        TorchRuntime.Initialize(2);
        var options = PretrainingOptions.TinyOfficial with { Model = Narrow, BatchSize = 2 };
        using var model = ConstClModel.Create(Narrow, seed: 1);
        model.train();
        using var optimizer = ConstClOptimizer.Create(options, model);
        var step = new TrainingStep(model, optimizer, options);
        using var generator = new Generator(5);
        var state = model.state_dict();
        using var meanBefore = state["backbone.stem.bn.running_mean"].clone();
        using var weightBefore = state["backbone.stem.conv.weight"].clone();

        using (var scope = torch.NewDisposeScope())
        {
            step.Compute(RandomTrainingInput.Create(2, Narrow.InputFrames, Narrow.InputSize, 4, generator));
            Assert.False(state["backbone.stem.bn.running_mean"].allclose(meanBefore, rtol: 0, atol: 0), "the forward pass moves the running mean");
            step.Revert();
        }

        Assert.True(state["backbone.stem.bn.running_mean"].allclose(meanBefore, rtol: 0, atol: 0));
        Assert.True(state["backbone.stem.conv.weight"].allclose(weightBefore, rtol: 0, atol: 0));
    }
}

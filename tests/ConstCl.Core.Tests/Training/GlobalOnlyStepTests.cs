using ConstCl.Core.Tests.Modeling;
using ConstCl.Losses;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// A global-only objective (CVRL, ω = 0) skips the local branch (res5_local and the region head): the global path must
/// be unchanged to the bit, and the skipped modules must see neither gradient nor forward pass.
/// </summary>
public class GlobalOnlyStepTests
{
    public GlobalOnlyStepTests() => TorchRuntime.Initialize(2);

    [Theory]
    [InlineData("small")]   // basic blocks, channels-last
    [InlineData("tiny")]    // bottleneck blocks, default layout
    [InlineData("small-reversed")]
    public void SkippingTheLocalBranchLeavesTheGlobalPathExact(string which)
    {
        var options = which.StartsWith("small", StringComparison.Ordinal) ? ConstClModelOptions.Small : ConstClModelOptions.TinyPreset;
        var reversed = which.EndsWith("reversed", StringComparison.Ordinal);
        using var full = ConstClModel.Create(options, seed: 3);
        using var skipping = ConstClModel.Create(options, seed: 3);
        full.train();
        skipping.train();
        var input = ModelTestData.Input(batch: 3, frames: options.InputFrames, size: options.InputSize, boxes: 2, seed: 4);

        using var fullOut = full.Forward(input, reversed, skipLocalBranch: false);
        using var skipOut = skipping.Forward(input, reversed, skipLocalBranch: true);
        Assert.Equal(fullOut.GlobalEmbeddings.data<float>().ToArray(), skipOut.GlobalEmbeddings.data<float>().ToArray());
        Assert.Equal(fullOut.BackboneEmbeddings!.data<float>().ToArray(), skipOut.BackboneEmbeddings!.data<float>().ToArray());
        Assert.Equal(reversed, skipOut.ReversedEmbeddings is not null);
        foreach (var t in new[] { skipOut.RegionFeaturesA, skipOut.RegionFeaturesB, skipOut.PredictionsAToB, skipOut.PredictionsBToA })
        {
            Assert.Equal(new long[] { 3, 0 }, t.shape[..2]);
        }

        Assert.Equal(new long[] { 3, 0 }, skipOut.RegionMaskA.shape);
        Assert.Equal(new long[] { 3, 0 }, skipOut.RegionMaskB.shape);

        var objective = new ConstClObjectiveOptions { LocalWeight = 0.0, TimeReversedNegatives = reversed };
        using (var a = ConstClObjective.Compute(fullOut, objective))
        using (var b = ConstClObjective.Compute(skipOut, objective))
        {
            Assert.Equal(a.Total.item<float>(), b.Total.item<float>());
            a.Total.backward();
            b.Total.backward();
        }

        var skippedGrads = skipping.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        var checkedGlobal = 0;
        foreach (var (name, p) in full.named_parameters())
        {
            if (IsLocal(name))
            {
                Assert.True(skippedGrads[name] is null, $"{name} got a gradient although the local branch was skipped");
                continue;
            }

            Assert.True(p.grad is not null && skippedGrads[name] is not null, name);
            Assert.Equal(p.grad!.data<float>().ToArray(), skippedGrads[name]!.data<float>().ToArray());
            checkedGlobal++;
        }

        Assert.True(checkedGlobal > 10);
    }

    [Fact]
    public void AGlobalOnlyTrainingStepDoesNotRunTheLocalBranch()
    {
        // res5_local's BatchNorm statistics move only when res5_local runs forward in training mode.
        Assert.False(LocalStatisticsMoved(localWeight: 0.0));
        Assert.True(LocalStatisticsMoved(localWeight: 0.01));
    }

    private static bool LocalStatisticsMoved(double localWeight)
    {
        var options = PretrainingOptions.Small with { BatchSize = 2, Objective = PretrainingOptions.Small.Objective with { LocalWeight = localWeight } };
        using var model = ConstClModel.Create(options.Model, seed: 5);
        model.train();
        using var optimizer = ConstClOptimizer.Create(options, model);
        var step = new TrainingStep(model, optimizer, options);
        var localBuffers = model.named_buffers().Where(b => b.name.StartsWith("backbone.res5_local.", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(localBuffers);
        var before = localBuffers.Select(b => b.buffer.detach().clone()).ToArray();
        using var generator = new Generator(6);
        using (var scope = NewDisposeScope())
        {
            var result = step.Compute(RandomTrainingInput.Create(2, options.Model.InputFrames, options.Model.InputSize, 4, generator));
            Assert.True(result.Loss.isfinite().item<bool>());
            step.Apply(1e-3);
        }

        var moved = localBuffers.Zip(before).Any(p => !p.First.buffer.eq(p.Second).all().item<bool>());
        foreach (var t in before)
        {
            t.Dispose();
        }

        return moved;
    }

    private static bool IsLocal(string name) =>
        name.StartsWith("backbone.res5_local.", StringComparison.Ordinal) || name.StartsWith("local_head.", StringComparison.Ordinal);
}

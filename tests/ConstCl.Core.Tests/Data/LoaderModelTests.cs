using ConstCl.Data;
using ConstCl.Losses;
using ConstCl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Data;

public class LoaderModelTests
{
    [Fact]
    public void LoaderBatchesAtTheTinyPresetGoThroughTheModelAndTheObjective()
    {
        ConstCl.Runtime.TorchRuntime.Initialize(2);
        ConstClModelOptions preset = ConstClModelOptions.Tiny;
        var options = new LoaderOptions { Frames = preset.InputFrames, Size = preset.InputSize, Stride = 2, BatchSize = 2, Seed = 3 };
        using var model = ConstClModel.Create(preset, seed: 1);
        using var source = new PrefetchingBatchSource(LoaderTestData.Synthetic(), options);
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            using PretrainingBatch batch = source.Next();
            Assert.Equal(new long[] { 2, 3, preset.InputFrames, preset.InputSize, preset.InputSize }, batch.Input.ViewA.shape);
            using ConstClModelOutput output = model.forward(batch.Input);
            using ConstClObjectiveResult loss = ConstClObjective.Compute(output);
            float total = loss.Total.item<float>();
            Assert.True(float.IsFinite(total) && total > 0, $"loss {total}");
        }

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

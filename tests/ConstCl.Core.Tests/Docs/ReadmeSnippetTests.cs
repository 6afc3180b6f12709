using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Losses;
using ConstCl.Modeling;
using TorchSharp;

namespace ConstCl.Core.Tests.Docs;

/// <summary>README's "Using the library" snippet, compiled and run as written (keep the two in step).</summary>
public class ReadmeSnippetTests
{
    [Fact]
    public void LibrarySnippetRunsAndGivesAFiniteLossWithGradients()
    {
        // --- README snippet ---
        ConstCl.Runtime.TorchRuntime.Initialize(threads: 2);
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 1);
        var loader = new LoaderOptions { Frames = 8, Size = 64, BatchSize = 4, Seed = 1 };
        using var source = PrefetchingBatchSource.FromSynthetic(new SyntheticActions(new() { Seed = 1 }), loader);

        using (var scope = torch.NewDisposeScope())
        {
            using PretrainingBatch batch = source.Next();
            using ConstClModelOutput output = model.forward(batch.Input);
            using ConstClObjectiveResult loss = ConstClObjective.Compute(output);   // global 1.0 + local 0.001 (official)
            loss.Total.backward();
            // --- end of snippet ---

            Assert.True(float.IsFinite(loss.Total.item<float>()));
        }

        var grad = model.Backbone.parameters().First().grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
    }
}

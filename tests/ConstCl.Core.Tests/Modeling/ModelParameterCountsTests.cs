using ConstCl.Modeling;

namespace ConstCl.Core.Tests.Modeling;

[Collection(PaperModelCollection.Name)]
public class ModelParameterCountsTests
{
    private readonly PaperModelFixture _paper;

    public ModelParameterCountsTests(PaperModelFixture paper) => _paper = paper;

    [Trait("Category", "Slow")]   // the Paper-size model
    [Fact]
    public void PaperCountsEqualTheOfficialCode()
    {
        var counts = ModelParameterCounts.Of(_paper.Model);
        // Spec §7 (computed from the official TF code): trainable parameters.
        Assert.Equal(31_672_128, counts.Backbone);
        Assert.Equal(20_207_616, counts.Res5Local);
        Assert.Equal(12_857_472, counts.GlobalHead);
        Assert.Equal(6_928_356, counts.LocalHead);
        Assert.Equal(71_665_572, counts.Total);
        Assert.Equal(44_535_744, counts.CvrlBaseline);
        Assert.Equal(counts.Total, counts.Backbone + counts.Res5Local + counts.GlobalHead + counts.LocalHead);
    }

    [Fact]
    public void LocalHeadCountDoesNotDependOnContextLengthAndDropsWithoutPositionalEmbedding()
    {
        // Spec §7: L only changes the number of memory tokens; without the positional channels the head is 6,891,392.
        using var g = new TorchSharp.torch.Generator(0);
        long Head(LocalHeadOptions o)
        {
            using var head = InstanceReconstructor.Create(o, 2048, g);
            return head.parameters().Sum(p => p.numel());
        }

        Assert.Equal(6_928_356, Head(new LocalHeadOptions { ContextLength = 1 }));
        Assert.Equal(6_928_356, Head(new LocalHeadOptions { ContextLength = 3 }));
        Assert.Equal(6_891_392, Head(new LocalHeadOptions { UsePositionalEmbedding = false }));
    }

    [Fact]
    public void TinyCountsAddUp()
    {
        var counts = ModelParameterCounts.For(ConstClModelOptions.Tiny);
        Assert.Equal(counts.Total, counts.Backbone + counts.Res5Local + counts.GlobalHead + counts.LocalHead);
        Assert.True(counts.Total < 2_000_000, $"Tiny should be small; got {counts.Total}.");
        // Global head with hidden biases adds 3 × 64 (CVRL variant), the only difference from ConST-CL's MLP.
        Assert.Equal(counts.Backbone + counts.GlobalHead + 3 * 64, counts.CvrlBaseline);
    }

    [Fact]
    public void SmallCountsEqualTheBasicBlockFormula()
    {
        var counts = ModelParameterCounts.For(ConstClModelOptions.Small);
        // Conv kernels Cout·Cin·kt·kh·kw, BN 2·C, shortcut 1×1×1 conv + BN where the shape changes.
        long Bn(long c) => 2 * c;
        long Block(long cin, long cout, long kt) => (cout * cin * kt * 9) + Bn(cout) + (cout * cout * kt * 9) + Bn(cout) + (cin == cout ? 0 : (cout * cin) + Bn(cout));
        long stem = (16 * 3 * 3 * 5 * 5) + Bn(16);
        long res5 = Block(64, 128, 3);
        long backbone = stem + Block(16, 16, 1) + Block(16, 32, 3) + Block(32, 64, 3) + res5;
        Assert.Equal(891_312, backbone);   // the 0.891 M-parameter encoder of shared/reference/small-compute-ssl-recipe.md
        Assert.Equal(backbone, counts.Backbone);
        Assert.Equal(res5, counts.Res5Local);
        Assert.Equal((128 * 256) + Bn(256) + (256 * 128) + 128, counts.GlobalHead);   // Linear (no bias) → BN → Linear + bias
        Assert.Equal(counts.Total, counts.Backbone + counts.Res5Local + counts.GlobalHead + counts.LocalHead);
    }

    [Fact]
    public void TinyPresetIsTinyWithSmallsHead()
    {
        var tiny = ModelParameterCounts.For(ConstClModelOptions.Tiny);
        var preset = ModelParameterCounts.For(ConstClModelOptions.TinyPreset);
        // Frame differences change no parameter; only the global head differs: Linear 256→256 (no bias) → BN → Linear 256→128 + bias.
        Assert.Equal((tiny.Backbone, tiny.Res5Local, tiny.LocalHead), (preset.Backbone, preset.Res5Local, preset.LocalHead));
        Assert.Equal((256 * 256) + (2 * 256) + (256 * 128) + 128, preset.GlobalHead);
        Assert.Equal(1_036_476, preset.Total);   // docs/model.md
    }
}

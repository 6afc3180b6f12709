using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// <see cref="ResNet3dY.ForwardBranch(Tensor, BackboneBranch, BackboneStage)"/>: each stage's output is the previous
/// stage's output through that stage's module, with <see cref="ResNet3dYOptions.StageOutputChannels"/> channels; below
/// res5 the two branches are one network.
/// </summary>
public sealed class BackboneStageTests
{
    public BackboneStageTests() => TorchRuntime.Initialize(2);

    [Theory]
    [InlineData(BlockKind.Bottleneck)]
    [InlineData(BlockKind.Basic)]   // the channels-last path
    public void Each_stage_is_the_previous_one_through_its_module(BlockKind block)
    {
        var options = block == BlockKind.Basic ? ConstClModelOptions.Small.Backbone : ConstClModelOptions.Tiny.Backbone;
        using var g = new Generator(5);
        using var backbone = ResNet3dY.Create(options, g);
        backbone.eval();
        using var noGrad = no_grad();
        using var x = rand([2, 3, 8, 32, 32], generator: g);
        var modules = backbone.BranchModules(BackboneBranch.Global);
        Tensor? previous = null;
        foreach (var stage in new[] { BackboneStage.Res2, BackboneStage.Res3, BackboneStage.Res4, BackboneStage.Res5 })
        {
            var output = backbone.ForwardBranch(x, BackboneBranch.Global, stage);
            Assert.Equal(options.StageOutputChannels(stage), output.shape[1]);
            if (previous is not null)
            {
                using var expected = ((nn.Module<Tensor, Tensor>)modules[(int)stage - 1]).forward(previous);
                Assert.True(expected.allclose(output, rtol: 1e-5, atol: 1e-6), $"{stage} ≠ its module over {stage - 1}");
            }

            if (stage != BackboneStage.Res5)
            {
                using var local = backbone.ForwardBranch(x, BackboneBranch.Local, stage);
                Assert.True(local.allclose(output, rtol: 0, atol: 0), $"below res5 the branches share their layers ({stage})");
            }

            previous?.Dispose();
            previous = output;
        }

        using var whole = backbone.ForwardBranch(x, BackboneBranch.Global);
        Assert.True(whole.allclose(previous!, rtol: 0, atol: 0), "res5 is the whole branch");
        using var res5Local = backbone.ForwardBranch(x, BackboneBranch.Local, BackboneStage.Res5);
        Assert.False(res5Local.allclose(previous!), "at res5 the branches differ");
        previous!.Dispose();
    }

    [Fact]
    public void Stage_channels_are_the_official_widths_and_an_unknown_stage_is_refused()
    {
        var paper = ConstClModelOptions.Paper.Backbone;
        Assert.Equal(
            new[] { 256, 512, 1024, 2048 },
            new[] { BackboneStage.Res2, BackboneStage.Res3, BackboneStage.Res4, BackboneStage.Res5 }.Select(paper.StageOutputChannels));
        Assert.Equal(paper.OutputChannels, paper.StageOutputChannels(BackboneStage.Res5));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => paper.StageOutputChannels((BackboneStage)1));
        Assert.Equal("stage", e.ParamName);

        using var g = new Generator(1);
        using var backbone = ResNet3dY.Create(ConstClModelOptions.Tiny.Backbone, g);
        using var x = zeros([1, 3, 4, 32, 32]);
        Assert.Throws<ArgumentOutOfRangeException>(() => backbone.ForwardBranch(x, BackboneBranch.Global, (BackboneStage)6));
    }
}

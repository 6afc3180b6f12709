using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

[Collection(PaperModelCollection.Name)]
public class ResNet3dYTests
{
    private readonly PaperModelFixture _paper;

    public ResNet3dYTests(PaperModelFixture paper)
    {
        _paper = paper;
        TorchRuntime.Initialize(2);
    }

    [Trait("Category", "Slow")]   // the Paper-size model
    [Fact]
    public void PaperBackboneShapesAtASmallInput()
    {
        var backbone = _paper.Model.Backbone;
        backbone.eval();
        using var _ = no_grad();
        using var g = new Generator(1);
        using var x = rand([1, 3, 8, 64, 64], generator: g);
        using var features = backbone.forward(x);
        // T/2 and H/32 (spec §1.6 at 64²: 8 → 4, 64 → 2).
        Assert.Equal(new long[] { 1, 2048, 4, 2, 2 }, features.Res5.shape);
        Assert.Equal(new long[] { 1, 2048, 4, 2, 2 }, features.Res5Local.shape);
        using var global = backbone.ForwardBranch(x, BackboneBranch.Global);
        using var local = backbone.ForwardBranch(x, BackboneBranch.Local);
        Assert.True(global.allclose(features.Res5));
        Assert.True(local.allclose(features.Res5Local));
        Assert.False(global.allclose(local));
        backbone.train();
    }

    [Theory]
    [InlineData(ConvPaddingMode.Symmetric)]
    [InlineData(ConvPaddingMode.TensorFlowSame)]
    public void TinyBackboneShapesInBothPaddingModes(ConvPaddingMode padding)
    {
        var options = ConstClModelOptions.Tiny.Backbone with { Padding = padding };
        using var g = new Generator(2);
        using var backbone = ResNet3dY.Create(options, g);
        using var x = rand([2, 3, 8, 64, 64], generator: g);
        using var features = backbone.forward(x);
        Assert.Equal(new long[] { 2, 256, 4, 2, 2 }, features.Res5.shape);
        Assert.Equal(new long[] { 2, 256, 4, 2, 2 }, features.Res5Local.shape);
        // Odd sizes too: ceil(n / s) at every stride-2 op, as TF 'same' and symmetric k//2 both give.
        using var odd = rand([1, 3, 5, 50, 42], generator: g);
        using var f2 = backbone.forward(odd);
        Assert.Equal(new long[] { 1, 256, 3, 2, 2 }, f2.Res5.shape);
        Assert.Equal((3, 2, 2), options.FeatureShape(5, 50, 42));
    }

    [Fact]
    public void TensorFlowSamePaddingShiftsTheStemSamplingGrid()
    {
        // Same weights, different padding: TF pads the 7×7 stride-2 stem (2, 3) instead of (3, 3), so the outputs differ
        // while the shapes agree (spec §1.7).
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        using var sym = ResNetStem.Create(ConstClModelOptions.Tiny.Backbone, g1);
        using var tf = ResNetStem.Create(ConstClModelOptions.Tiny.Backbone with { Padding = ConvPaddingMode.TensorFlowSame }, g2);
        sym.eval();
        tf.eval();
        using var x = rand([1, 3, 4, 16, 16], generator: g1);
        using var a = sym.forward(x);
        using var b = tf.forward(x);
        Assert.Equal(a.shape, b.shape);
        Assert.Equal(new long[] { 1, 8, 2, 4, 4 }, a.shape);
        Assert.False(a.allclose(b));
    }

    [Fact]
    public void FirstBlockOfEveryStageProjectsTheShortcut()
    {
        using var g = new Generator(3);
        using var backbone = ResNet3dY.Create(ConstClModelOptions.Tiny.Backbone, g);
        foreach (var stage in new[] { "res2", "res3", "res4", "res5", "res5_local" })
        {
            var blocks = backbone.named_children().Single(c => c.name == stage).module.children().Cast<Bottleneck3d>().ToArray();
            Assert.True(blocks[0].HasProjection, stage);
            Assert.All(blocks.Skip(1), b => Assert.False(b.HasProjection));
        }
    }

    [Fact]
    public void BottleneckShapes()
    {
        // Spec §8.4 (nn_blocks_3d_test): [1, C=4f, T, S, S] with filters f → [1, 4f, T, S/s, S/s]; scaled down.
        using var g = new Generator(4);
        using var block = Bottleneck3d.Create(new ResNet3dYOptions(), 64, 16, 3, 2, g);
        using var x = rand([1, 64, 4, 16, 16], generator: g);
        using var y = block.forward(x);
        Assert.Equal(new long[] { 1, 64, 4, 8, 8 }, y.shape);
        Assert.True(y.min().item<float>() >= 0);   // ReLU(sum)
    }

    [Fact]
    public void Res5BranchesShareNoParametersAndTheirGradientsStaySeparate()
    {
        using var g = new Generator(5);
        using var backbone = ResNet3dY.Create(ConstClModelOptions.Tiny.Backbone, g);
        var named = backbone.named_parameters().ToArray();
        var res5 = named.Where(p => p.name.StartsWith("res5.", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();
        var res5Local = named.Where(p => p.name.StartsWith("res5_local.", StringComparison.Ordinal)).Select(p => p.parameter).ToArray();
        Assert.Equal(res5.Length, res5Local.Length);
        Assert.DoesNotContain(res5, p => res5Local.Any(q => ReferenceEquals(p, q) || p.Handle == q.Handle));

        using var x = rand([2, 3, 8, 32, 32], generator: g);
        using (var features = backbone.forward(x))
        using (var loss = features.Res5.square().mean())
        {
            loss.backward();
        }

        Assert.All(res5Local, p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.Contains(res5, p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
        var stem = named.First(p => p.name == "stem.conv.weight").parameter;
        Assert.True(stem.grad!.abs().sum().item<float>() > 0);

        backbone.zero_grad();
        using (var features = backbone.forward(x))
        using (var loss = features.Res5Local.square().mean())
        {
            loss.backward();
        }

        Assert.All(res5, p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.Contains(res5Local, p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
    }
}

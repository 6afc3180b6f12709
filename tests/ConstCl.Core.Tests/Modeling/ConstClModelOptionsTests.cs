using ConstCl.Modeling;

namespace ConstCl.Core.Tests.Modeling;

public class ConstClModelOptionsTests
{
    [Fact]
    public void PresetsValidateAndReportTheirShapes()
    {
        ConstClModelOptions.Paper.Validate();
        ConstClModelOptions.Tiny.Validate();
        // Spec §1.6: 16×224² → res5 8×7×7×2048.
        Assert.Equal(new long[] { 3, 16, 224, 224 }, ConstClModelOptions.Paper.InputShape);
        Assert.Equal(new long[] { 2048, 8, 7, 7 }, ConstClModelOptions.Paper.FeatureShape);
        Assert.Equal(new long[] { 3, 8, 64, 64 }, ConstClModelOptions.Tiny.InputShape);
        Assert.Equal(new long[] { 256, 4, 2, 2 }, ConstClModelOptions.Tiny.FeatureShape);
        // Spec §1.6 table: 32 frames at 256² (linear eval test crops) → 16×8×8.
        Assert.Equal((16, 8, 8), ConstClModelOptions.Paper.Backbone.FeatureShape(32, 256, 256));
    }

    [Fact]
    public void PaperDefaultsAreTheOfficialConfiguration()
    {
        var o = ConstClModelOptions.Paper;
        Assert.Equal(new[] { 3, 4, 6, 3 }, o.Backbone.StageBlocks);
        Assert.Equal(new[] { 64, 128, 256, 512 }, o.Backbone.StageWidths);
        Assert.Equal(new[] { 3, 3, 3, 3, 3, 3 }, o.Backbone.TemporalKernels[2]);
        Assert.Equal(0.1, o.Backbone.BatchNormMomentum);
        Assert.Equal(ConvPaddingMode.Symmetric, o.Backbone.Padding);
        Assert.False(o.GlobalHead.HiddenBias);
        Assert.Equal(5, o.LocalHead.ContextLength);
        Assert.Equal(KeyFrameStrategy.Center, o.LocalHead.KeyFrameStrategy);
        Assert.Equal(1e-12, o.LocalHead.LayerNormEpsilon);
        Assert.True(GlobalHeadOptions.Cvrl.HiddenBias);
        Assert.Equal(0.003, GlobalHeadOptions.Cvrl.BatchNormMomentum);
    }

    [Theory]
    [InlineData(2, "ContextLength")]
    [InlineData(-1, "ContextLength")]
    public void EvenOrNegativeContextLengthIsRejected(int length, string field)
    {
        var options = ConstClModelOptions.Tiny with { LocalHead = new LocalHeadOptions { ContextLength = length } };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(field, ex.ParamName);
        Assert.Contains("LocalHeadOptions.ContextLength", ex.Message);
    }

    [Fact]
    public void RandomKeyFramesNeedASeed()
    {
        var ex = Assert.Throws<ArgumentException>(new LocalHeadOptions { KeyFrameStrategy = KeyFrameStrategy.Random }.Validate);
        Assert.Equal("KeyFrameSeed", ex.ParamName);
        new LocalHeadOptions { KeyFrameStrategy = KeyFrameStrategy.Random, KeyFrameSeed = 3 }.Validate();
    }

    [Fact]
    public void TemporalKernelsMustMatchTheBlockCounts()
    {
        var backbone = new ResNet3dYOptions { StageBlocks = [1, 1, 1, 1] };
        var ex = Assert.Throws<ArgumentException>(backbone.Validate);
        Assert.Equal("TemporalKernels", ex.ParamName);
        Assert.Contains("res2", ex.Message);
        new ResNet3dYOptions { StageBlocks = [1, 1, 1, 1], TemporalKernels = [[1], [1], [3], [3]] }.Validate();
    }

    [Fact]
    public void OtherFieldsAreNamedWhenInvalid()
    {
        Assert.Equal("StemChannels", Assert.Throws<ArgumentException>(new ResNet3dYOptions { StemChannels = 0 }.Validate).ParamName);
        Assert.Equal("StemKernel", Assert.Throws<ArgumentException>(new ResNet3dYOptions { StemKernel = [4, 7, 7] }.Validate).ParamName);
        Assert.Equal("BatchNormMomentum", Assert.Throws<ArgumentException>(new GlobalHeadOptions { BatchNormMomentum = 0 }.Validate).ParamName);
        Assert.Equal("Width", Assert.Throws<ArgumentException>(new LocalHeadOptions { Width = 0 }.Validate).ParamName);
        Assert.Equal("InputSize", Assert.Throws<ArgumentException>((ConstClModelOptions.Tiny with { InputSize = 0 }).Validate).ParamName);
    }
}

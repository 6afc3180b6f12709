using ConstCl.Data;

namespace ConstCl.Core.Tests.Data;

public class LoaderOptionsTests
{
    [Fact]
    public void DefaultsAreTheOfficialSettings()
    {
        var o = new LoaderOptions().Validate();
        Assert.Equal(16, o.Frames);
        Assert.Equal(2, o.Stride);
        Assert.Equal(224, o.Size);
        Assert.Equal(RegionProposerKind.Random, o.RegionProposer);
        Assert.Equal(8, o.BoxesPerFrame);
        Assert.Equal(0.05, o.FailureBudgetFraction);
        Assert.Equal(224, o.EffectiveAugmentation.OutputHeight);
        Assert.Equal(22, o.EffectiveAugmentation.EffectiveBlurKernelSize); // ⌊224/10⌋, the official kernel
    }

    public static TheoryData<LoaderOptions, string> BadOptions() => new()
    {
        { new LoaderOptions { Frames = 0 }, "Frames" },
        { new LoaderOptions { Stride = 0 }, "Stride" },
        { new LoaderOptions { Size = 4 }, "Size" },
        { new LoaderOptions { BatchSize = 0 }, "BatchSize" },
        { new LoaderOptions { DecodeThreads = 0 }, "DecodeThreads" },
        { new LoaderOptions { PrefetchBatches = 0 }, "PrefetchBatches" },
        { new LoaderOptions { BoxesPerFrame = 0 }, "BoxesPerFrame" },
        { new LoaderOptions { RegionProposer = RegionProposerKind.External }, "ExternalBoxesPath" },
        { new LoaderOptions { DecodeShortSide = 200 }, "DecodeShortSide" },
        { new LoaderOptions { FailureBudgetFraction = 1.5 }, "FailureBudgetFraction" },
        { new LoaderOptions { MaxReplacementAttempts = 0 }, "MaxReplacementAttempts" },
        { new LoaderOptions { CacheDirectory = " " }, "CacheDirectory" },
        { new LoaderOptions { Augmentation = ConstCl.Augmentation.AugmentationOptions.Official with { CropAreaMin = 0 } }, "Augmentation" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void BadFieldsAreNamed(LoaderOptions options, string field)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => options.Validate());
        Assert.Equal(field, e.ParamName);
    }
}

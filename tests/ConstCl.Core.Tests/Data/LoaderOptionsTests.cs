using ConstCl.Data;
using ConstCl.Training;
using ConstCl.Video;

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

    private static readonly Dictionary<string, LoaderOptions> Bad = new()
    {
        ["Frames"] = new LoaderOptions { Frames = 0 },
        ["Stride"] = new LoaderOptions { Stride = 0 },
        ["Size"] = new LoaderOptions { Size = 4 },
        ["BatchSize"] = new LoaderOptions { BatchSize = 0 },
        ["DecodeThreads"] = new LoaderOptions { DecodeThreads = 0 },
        ["PrefetchBatches"] = new LoaderOptions { PrefetchBatches = 0 },
        ["BoxesPerFrame"] = new LoaderOptions { BoxesPerFrame = 0 },
        ["ExternalBoxesPath"] = new LoaderOptions { RegionProposer = RegionProposerKind.External },
        ["DecodeShortSide"] = new LoaderOptions { DecodeShortSide = 200 },
        ["FailureBudgetFraction"] = new LoaderOptions { FailureBudgetFraction = 1.5 },
        ["MaxReplacementAttempts"] = new LoaderOptions { MaxReplacementAttempts = 0 },
        ["CacheDirectory"] = new LoaderOptions { CacheDirectory = " " },
        ["Augmentation"] = new LoaderOptions { Augmentation = ConstCl.Augmentation.AugmentationOptions.Official with { CropAreaMin = 0 } },
    };

    public static TheoryData<string> BadFields() => new(Bad.Keys);

    [Theory]
    [MemberData(nameof(BadFields))]
    public void BadFieldsAreNamed(string field)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Bad[field].Validate());
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void CpuPresetsDecodeFilesAtTheInputSizeAndTheOfficialRecipesAtTheStoredSize()
    {
        // small and tiny: area filter to short side 64 before the crop (no aliasing from 320×240 files); Paper and the
        // official Tiny recipe crop the stored frame, as the official pipeline does.
        foreach (var preset in new[] { PretrainingOptions.Small, PretrainingOptions.Tiny })
        {
            var loader = preset.ToLoaderOptions();
            Assert.Equal(preset.Model.InputSize, loader.DecodeShortSide);
            Assert.Equal(preset.Model.InputSize, loader.DecodeOptions.ShortSide);
            Assert.Equal(FrameResizeMode.Area, loader.DecodeOptions.ResizeMode);
        }

        Assert.Equal(0, PretrainingOptions.Paper.ToLoaderOptions().DecodeShortSide);
        Assert.Equal(0, PretrainingOptions.TinyOfficial.ToLoaderOptions().DecodeShortSide);
        var resized = PretrainingOptions.Small with { Model = PretrainingOptions.Small.Model with { InputSize = 96 } };
        Assert.Equal(96, resized.ToLoaderOptions().DecodeShortSide);
    }
}

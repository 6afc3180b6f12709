namespace ConstCl.MLNet.Tests;

/// <summary>The clip spec that travels in a saved model's constant column.</summary>
public sealed class SavedClipSpecTests
{
    [Fact]
    public void FormatParsesBackAndMapsOntoCoresSpec()
    {
        var spec = new SavedClipSpec(Frames: 4, Stride: 2, Size: 32, Clips: 3, Crops: 1, SkipInvalid: true);
        Assert.Equal("frames=4;stride=2;size=32;clips=3;crops=1;skip=1", spec.Format());
        Assert.Equal(spec, SavedClipSpec.Parse(spec.Format()));
        var core = spec.ToCore();
        Assert.Equal((3, 1, 4, 2, 32, true), (core.ClipCount, core.CropCount, core.FramesPerClip, core.FrameStride, core.Size, core.ZeroCenter));
        Assert.Equal(3, core.ViewCount);
    }

    [Theory]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=1", "skip")]
    [InlineData("frames=x;stride=2;size=32;clips=3;crops=1;skip=0", "frames=x")]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=2;skip=0", "Crops")]
    public void BadSpecsAreRefusedNamingThePart(string text, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => SavedClipSpec.Parse(text));
        Assert.Contains(named, error.Message);
    }
}

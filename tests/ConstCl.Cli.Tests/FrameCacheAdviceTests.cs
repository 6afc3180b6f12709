using ConstCl.Cli.Commands;

namespace ConstCl.Cli.Tests;

public class FrameCacheAdviceTests
{
    [Fact]
    public void AFileRunThatReadsEachVideoManyTimesIsToldAboutTheCache()
    {
        // README's walkthrough: tiny's 4,800 steps × 16 videos over synth's 288 training videos.
        string? note = FrameCacheAdvice.For(videos: 288, steps: 4800, batchSize: 16, cached: false);
        Assert.NotNull(note);
        Assert.StartsWith("the run reads each of its 288 videos about 267 times and decodes them every time; --frame-cache DIR", note);
        Assert.Contains("docs/data-loader.md", note);
    }

    [Theory]
    [InlineData(288, 4800, 16, true)]     // the cache is on
    [InlineData(9537, 600, 16, false)]    // UCF101 split 1 with small: each video about once
    [InlineData(100, 1, 199, false)]      // 1.99 uses per video
    [InlineData(0, 600, 16, false)]       // no videos (the synthetic source)
    public void NoNoteWhenTheCacheIsOnOrWouldNotBeRead(int videos, int steps, int batchSize, bool cached) =>
        Assert.Null(FrameCacheAdvice.For(videos, steps, batchSize, cached));

    [Fact]
    public void TwoUsesPerVideoAreEnough() =>
        Assert.NotNull(FrameCacheAdvice.For(videos: 100, steps: 1, batchSize: 200, cached: false));
}

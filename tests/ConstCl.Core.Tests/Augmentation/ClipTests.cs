using ConstCl.Augmentation;

namespace ConstCl.Core.Tests.Augmentation;

public class ClipTests
{
    [Fact]
    public void FromFramesDividesBy255AndKeepsLayout()
    {
        var frames = TestClips.PatternFrames(3, 4, 5);
        Clip clip = Clip.FromFrames(frames, new[] { 2, 0 });
        Assert.Equal(2, clip.Frames);
        for (int y = 0; y < 4; y++)
        {
            for (int x = 0; x < 5; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(TestClips.PatternValue(2, y, x, c) / 255f, TestClips.At(clip, 0, y, x, c));
                    Assert.Equal(TestClips.PatternValue(0, y, x, c) / 255f, TestClips.At(clip, 1, y, x, c));
                }
            }
        }
    }

    [Fact]
    public void ChannelsFirstCopyIsATranspose()
    {
        Clip clip = TestClips.RandomClip(2, 3, 4, seed: 1);
        float[] cthw = clip.ToArray(ClipLayout.Cthw);
        for (int c = 0; c < 3; c++)
        {
            for (int t = 0; t < 2; t++)
            {
                for (int y = 0; y < 3; y++)
                {
                    for (int x = 0; x < 4; x++)
                    {
                        Assert.Equal(TestClips.At(clip, t, y, x, c), cthw[(((((c * 2) + t) * 3) + y) * 4) + x]);
                    }
                }
            }
        }

        Assert.Equal(clip.Data, clip.ToArray(ClipLayout.Thwc));
    }

    [Fact]
    public void BadShapesThrow()
    {
        Assert.Throws<ArgumentException>(() => new Clip(2, 3, 4, new float[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Clip(0, 3, 4));
        Assert.Throws<ArgumentException>(() => new Clip(1, 2, 2).CopyTo(new float[5], ClipLayout.Thwc));
        Assert.Throws<ArgumentOutOfRangeException>(() => Clip.FromFrames(TestClips.PatternFrames(2, 2, 2), new[] { 2 }));
    }
}

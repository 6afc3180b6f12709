using ConstCl.Augmentation;

namespace ConstCl.Core.Tests.Augmentation;

public class HorizontalFlipTests
{
    [Fact]
    public void FlipReversesColumnsAndMirrorsBoxes()
    {
        Clip clip = TestClips.RandomClip(2, 3, 5, seed: 4);
        float[] boxes = [0.1f, 0.2f, 0.4f, 0.9f, 0.0f, 0.0f, 1.0f, 0.5f];
        var (flipped, moved) = HorizontalFlip.Apply(clip, boxes);
        for (int t = 0; t < 2; t++)
        {
            for (int y = 0; y < 3; y++)
            {
                for (int x = 0; x < 5; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        Assert.Equal(TestClips.At(clip, t, y, 4 - x, c), TestClips.At(flipped, t, y, x, c));
                    }
                }
            }
        }

        // (x1, y1, x2, y2) → (1 − x2, y1, 1 − x1, y2).
        Assert.Equal(new[] { 0.6f, 0.2f, 0.9f, 0.9f, 0.0f, 0.0f, 1.0f, 0.5f }, moved!, new ToleranceComparer(1e-6f));
        var (back, backBoxes) = HorizontalFlip.Apply(flipped, moved);
        Assert.Equal(clip.Data, back.Data);
        Assert.Equal(boxes, backBoxes!, new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void ProbabilityZeroNeverFlipsAndOneAlwaysFlips()
    {
        Clip clip = TestClips.RandomClip(1, 2, 4, seed: 9);
        var random = new Random(1);
        for (int i = 0; i < 20; i++)
        {
            Assert.False(HorizontalFlip.Apply(clip, random, 0.0).Flipped);
            var (c, _, flipped) = HorizontalFlip.Apply(clip, random, 1.0);
            Assert.True(flipped);
            Assert.Equal(TestClips.At(clip, 0, 1, 3, 2), TestClips.At(c, 0, 1, 0, 2));
        }
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}

using ConstCl.Sampling;

namespace ConstCl.Core.Tests.Sampling;

public class UniformClipSamplerTests
{
    [Fact]
    public void OffsetsAreTruncatedLinspaceOverTheValidRange()
    {
        // Lv 100, T 16, s 2: max_offset = 100 − 32 = 68; int(linspace(0, 68, 10)) with step 68/9 = 7.56.
        var sampler = new UniformClipSampler(10, 16, 2);
        Assert.Equal(new[] { 0, 7, 15, 22, 30, 37, 45, 52, 60, 68 }, sampler.Offsets(100));
        int[][] clips = sampler.Sample(100);
        Assert.Equal(10, clips.Length);
        for (int c = 0; c < clips.Length; c++)
        {
            Assert.Equal(16, clips[c].Length);
            for (int t = 0; t < 16; t++)
            {
                Assert.Equal(sampler.Offsets(100)[c] + (2 * t), clips[c][t]);
            }
        }
    }

    [Fact]
    public void ShortVideoRepeatsFromTheStart()
    {
        var sampler = new UniformClipSampler(3, 8, 2);
        int[][] clips = sampler.Sample(5);
        foreach (int[] clip in clips)
        {
            Assert.Equal(new[] { 0, 2, 4, 1, 3, 0, 2, 4 }, clip);
        }
    }

    [Fact]
    public void OneClipTakesTheMiddle()
    {
        // Official sample_sequence(random=False): offset = max(0, (Lv − T·s) // 2) = (100 − 32) / 2 = 34.
        var sampler = new UniformClipSampler(1, 16, 2);
        Assert.Equal(34, sampler.Sample(100)[0][0]);
        Assert.Equal(0, sampler.Sample(20)[0][0]);
    }

    [Fact]
    public void BadInputThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformClipSampler(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformClipSampler(10, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformClipSampler(10, 16, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new UniformClipSampler().Sample(0));
    }
}

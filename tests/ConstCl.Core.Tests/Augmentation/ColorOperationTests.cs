using ConstCl.Augmentation;

namespace ConstCl.Core.Tests.Augmentation;

public class ColorOperationTests
{
    [Fact]
    public void GrayscaleUsesTheTfWeightsOnEveryChannel()
    {
        Clip clip = TestClips.RandomClip(2, 4, 4, seed: 1);
        Clip gray = Grayscale.Apply(clip);
        for (int i = 0; i < clip.Data.Length; i += 3)
        {
            float expected = (0.2989f * clip.Data[i]) + (0.5870f * clip.Data[i + 1]) + (0.1140f * clip.Data[i + 2]);
            Assert.Equal(expected, gray.Data[i], 1e-6);
            Assert.Equal(gray.Data[i], gray.Data[i + 1]);
            Assert.Equal(gray.Data[i], gray.Data[i + 2]);
        }
    }

    [Fact]
    public void SolarizeInvertsValuesFromOneHalf()
    {
        var clip = new Clip(1, 1, 4, [0f, 0.25f, 0.49f, 0.5f, 0.51f, 0.75f, 1f, 0.1f, 0.9f, 0.3f, 0.6f, 0.4999f]);
        Clip solar = Solarize.Apply(clip);
        for (int i = 0; i < clip.Data.Length; i++)
        {
            float x = clip.Data[i];
            Assert.Equal(x < 0.5f ? x : 1f - x, solar.Data[i]);
        }

        // Larger clip exercises the vector path.
        Clip big = TestClips.RandomClip(2, 8, 8, seed: 2);
        Clip bigSolar = Solarize.Apply(big);
        for (int i = 0; i < big.Data.Length; i++)
        {
            float x = big.Data[i];
            Assert.Equal(x < 0.5f ? x : 1f - x, bigSolar.Data[i]);
        }
    }

    [Fact]
    public void BrightnessMultipliesThenClips()
    {
        Clip clip = TestClips.RandomClip(2, 5, 7, seed: 3);
        var parameters = new ColorJitterParameters(1.5f, 1f, 1f, 0f, [ColorJitterOperation.Brightness]);
        Clip bright = ColorJitter.Apply(clip, parameters);
        for (int i = 0; i < clip.Data.Length; i++)
        {
            Assert.Equal(Math.Min(clip.Data[i] * 1.5f, 1f), bright.Data[i]);
        }
    }

    [Fact]
    public void ContrastUsesTheMeanOverAllFramesAndPreservesIt()
    {
        // Frame 0 dark, frame 1 bright: the official code takes one mean over the whole clip.
        Clip clip = TestClips.RandomClip(2, 6, 6, seed: 5);
        for (int i = 0; i < clip.FrameLength; i++)
        {
            clip.Data[i] *= 0.3f;
            clip.Data[clip.FrameLength + i] = 0.6f + (0.4f * clip.Data[clip.FrameLength + i]);
        }

        var mean = new double[3];
        for (int i = 0; i < clip.Data.Length; i++)
        {
            mean[i % 3] += clip.Data[i] / (clip.Data.Length / 3.0);
        }

        var parameters = new ColorJitterParameters(1f, 0.5f, 1f, 0f, [ColorJitterOperation.Contrast]);
        Clip low = ColorJitter.Apply(clip, parameters);
        var newMean = new double[3];
        for (int i = 0; i < clip.Data.Length; i++)
        {
            Assert.Equal(((clip.Data[i] - mean[i % 3]) * 0.5) + mean[i % 3], low.Data[i], 1e-5);
            newMean[i % 3] += low.Data[i] / (clip.Data.Length / 3.0);
        }

        for (int c = 0; c < 3; c++)
        {
            Assert.Equal(mean[c], newMean[c], 1e-5);
        }
    }

    [Fact]
    public void HsvRoundTripIsTheIdentity()
    {
        var random = new Random(6);
        for (int i = 0; i < 20000; i++)
        {
            float r = random.NextSingle(), g = random.NextSingle(), b = random.NextSingle();
            if (i % 7 == 0)
            {
                g = r; // ties between channels take other branches
            }

            Hsv.RgbToHsv(r, g, b, out float h, out float s, out float v);
            Assert.InRange(h, 0f, 1f);
            Hsv.HsvToRgb(h, s, v, out float r2, out float g2, out float b2);
            Assert.Equal(r, r2, 1e-5);
            Assert.Equal(g, g2, 1e-5);
            Assert.Equal(b, b2, 1e-5);

            Hsv.RgbToHvRange(r, g, b, out float h6, out float lo, out float hi);
            Hsv.HvRangeToRgb(h6, lo, hi, out r2, out g2, out b2);
            Assert.Equal(r, r2, 1e-5);
            Assert.Equal(g, g2, 1e-5);
            Assert.Equal(b, b2, 1e-5);
        }
    }

    [Fact]
    public void HueAndSaturationFollowTheirClosedForms()
    {
        // Pure red, green, blue and a grey.
        var clip = new Clip(1, 1, 4, [1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0.4f, 0.4f, 0.4f]);
        float[] third = ColorJitter.Apply(clip, new ColorJitterParameters(1, 1, 1, 1f / 3, [ColorJitterOperation.Hue])).Data;
        // A shift by a third of the circle: red → green, green → blue, blue → red; grey stays grey.
        float[] expected = [0f, 1f, 0f, 0f, 0f, 1f, 1f, 0f, 0f, 0.4f, 0.4f, 0.4f];
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], third[i], 1e-5);
        }

        Clip random = TestClips.RandomClip(1, 4, 4, seed: 7);
        float[] desaturated = ColorJitter.Apply(random, new ColorJitterParameters(1, 1, 0f, 0, [ColorJitterOperation.Saturation])).Data;
        float[] unchanged = ColorJitter.Apply(random, new ColorJitterParameters(1, 1, 1f, 0, ColorJitterParameters.FixedOrder)).Data;
        for (int i = 0; i < random.Data.Length; i += 3)
        {
            // Saturation 0 gives (v, v, v) with v = max channel.
            float v = Math.Max(random.Data[i], Math.Max(random.Data[i + 1], random.Data[i + 2]));
            Assert.Equal(v, desaturated[i], 1e-6);
            Assert.Equal(v, desaturated[i + 1], 1e-6);
            Assert.Equal(v, desaturated[i + 2], 1e-6);
            for (int c = 0; c < 3; c++)
            {
                Assert.Equal(random.Data[i + c], unchanged[i + c], 1e-5);
            }
        }
    }

    [Fact]
    public void SampledParametersStayInTheirRangesAndOrderIsAPermutation()
    {
        var random = new Random(8);
        var firsts = new HashSet<ColorJitterOperation>();
        for (int i = 0; i < 2000; i++)
        {
            ColorJitterParameters p = ColorJitter.SampleParameters(random);
            Assert.InRange(p.BrightnessFactor, 0.2f, 1.8f);
            Assert.InRange(p.ContrastFactor, 0.2f, 1.8f);
            Assert.InRange(p.SaturationFactor, 0.2f, 1.8f);
            Assert.InRange(p.HueDelta, -0.2f, 0.2f);
            Assert.Equal(4, p.Order.Distinct().Count());
            firsts.Add(p.Order[0]);
        }

        Assert.Equal(4, firsts.Count);
        Assert.Equal(ColorJitterParameters.FixedOrder, ColorJitter.SampleParameters(random, randomOrder: false).Order);
    }

    [Fact]
    public void JitterOutputStaysInUnitRangeAndInputIsUntouched()
    {
        Clip clip = TestClips.RandomClip(2, 8, 8, seed: 9);
        float[] before = (float[])clip.Data.Clone();
        var random = new Random(10);
        for (int i = 0; i < 20; i++)
        {
            var (jittered, _) = ColorJitter.Apply(clip, random, AugmentationOptions.Official with { ColorJitterProbability = 1 });
            Assert.All(jittered.Data, v => Assert.InRange(v, 0f, 1f));
        }

        Assert.Equal(before, clip.Data);
    }
}

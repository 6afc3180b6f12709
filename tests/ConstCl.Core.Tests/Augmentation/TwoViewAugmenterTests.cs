using ConstCl.Augmentation;
using ConstCl.Sampling;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Augmentation;

public class TwoViewAugmenterTests
{
    private static readonly AugmentationOptions Small = AugmentationOptions.Official with { OutputHeight = 16, OutputWidth = 16 };

    [Fact]
    public void OutputsHaveTheRequestedShapeAndRange()
    {
        var frames = TestClips.PatternFrames(4, 24, 32);
        var augmenter = new TwoViewAugmenter(Small);
        var random = new Random(1);
        for (int i = 0; i < 20; i++)
        {
            AugmentedPair pair = augmenter.Augment(frames, frames, random);
            foreach (Clip view in new[] { pair.View1, pair.View2 })
            {
                Assert.Equal((4, 16, 16), (view.Frames, view.Height, view.Width));
                Assert.All(view.Data, v => Assert.InRange(v, -1f, 1f));
            }

            // Official asymmetry: view 1 always blurred and never solarised.
            Assert.NotNull(pair.Augmentation1.BlurSigma);
            Assert.False(pair.Augmentation1.Solarized);
        }
    }

    [Fact]
    public void SameSeedGivesIdenticalViews()
    {
        var frames = TestClips.PatternFrames(3, 20, 28);
        var augmenter = new TwoViewAugmenter(Small);
        float[] boxes = [0.1f, 0.1f, 0.6f, 0.7f];
        AugmentedPair a = augmenter.Augment(frames, frames, new Random(77), boxes, boxes);
        AugmentedPair b = augmenter.Augment(frames, frames, new Random(77), boxes, boxes);
        AugmentedPair c = augmenter.Augment(frames, frames, new Random(78), boxes, boxes);
        Assert.Equal(a.View1.Data, b.View1.Data);
        Assert.Equal(a.View2.Data, b.View2.Data);
        Assert.Equal(a.Boxes1, b.Boxes1);
        Assert.Equal(a.Augmentation2, b.Augmentation2 with { ColorJitter = a.Augmentation2.ColorJitter });
        Assert.NotEqual(a.View1.Data, c.View1.Data);
    }

    [Fact]
    public void GeometryOnlyPipelineIsCropFlipAndZeroCentring()
    {
        // Colour, blur and solarize off: each view must equal 2·(crop/255) − 1, flipped when reported,
        // and the boxes must follow the reported crop and flip in closed form.
        var options = Small with
        {
            OutputHeight = 10,
            OutputWidth = 12,
            ColorJitterProbability = 0,
            GrayscaleProbability = 0,
            BlurProbabilityView1 = 0,
            BlurProbabilityView2 = 0,
            SolarizeProbabilityView2 = 0,
        };
        var frames = TestClips.PatternFrames(2, 24, 30);
        float[] boxes = [0.2f, 0.25f, 0.7f, 0.8f];
        var augmenter = new TwoViewAugmenter(options);
        var random = new Random(5);
        for (int i = 0; i < 30; i++)
        {
            AugmentedPair pair = augmenter.Augment(frames, frames, random, boxes, boxes);
            Check(pair.View1, pair.Boxes1!, pair.Augmentation1);
            Check(pair.View2, pair.Boxes2!, pair.Augmentation2);
        }

        void Check(Clip view, float[] moved, ViewAugmentation applied)
        {
            var (crop, cropBoxes) = RandomResizedCrop.Apply(frames, new[] { 0, 1 }, applied.Crop, 10, 12, boxes);
            if (applied.Flipped)
            {
                (crop, cropBoxes) = HorizontalFlip.Apply(crop, cropBoxes);
            }

            for (int j = 0; j < view.Data.Length; j++)
            {
                Assert.Equal(2f * (crop.Data[j] - 0.5f), view.Data[j], 1e-6);
            }

            Assert.Equal(cropBoxes, moved);
        }
    }

    [Fact]
    public void FlipModesControlTheViews()
    {
        var frames = TestClips.PatternFrames(2, 16, 16);
        var shared = new TwoViewAugmenter(Small with { FlipMode = FlipMode.Shared });
        var none = new TwoViewAugmenter(Small with { FlipMode = FlipMode.None });
        var independent = new TwoViewAugmenter(Small);
        var random = new Random(3);
        int sharedFlips = 0;
        int disagreements = 0;
        for (int i = 0; i < 60; i++)
        {
            AugmentedPair s = shared.Augment(frames, frames, random);
            Assert.Equal(s.Augmentation1.Flipped, s.Augmentation2.Flipped);
            sharedFlips += s.Augmentation1.Flipped ? 1 : 0;

            AugmentedPair n = none.Augment(frames, frames, random);
            Assert.False(n.Augmentation1.Flipped || n.Augmentation2.Flipped);

            AugmentedPair d = independent.Augment(frames, frames, random);
            disagreements += d.Augmentation1.Flipped != d.Augmentation2.Flipped ? 1 : 0;
        }

        Assert.InRange(sharedFlips, 10, 50);
        Assert.True(disagreements > 5, "independent flips never disagreed");
    }

    [Fact]
    public void ViewPairSelectsFramesByTheirSourceIndex()
    {
        // Decoded frames 100..139 of a video; the pair's indices are looked up in FrameIndices.
        var full = TestClips.PatternFrames(40, 12, 12);
        var frames = new FrameSequence(full.Frames, 12, 12, Enumerable.Range(100, 40).ToArray());
        var options = Small with
        {
            OutputHeight = 12,
            OutputWidth = 12,
            CropAreaMin = 1,
            FlipMode = FlipMode.None,
            ColorJitterProbability = 0,
            GrayscaleProbability = 0,
            BlurProbabilityView1 = 0,
            BlurProbabilityView2 = 0,
            SolarizeProbabilityView2 = 0,
            ZeroCenter = false,
        };
        var pair = new ViewPair([100, 102, 104], [139, 101, 103], 100, 139, 0, false, 140);
        AugmentedPair result = new TwoViewAugmenter(options).Augment(frames, pair, new Random(1));
        Assert.Equal(Clip.FromFrames(full, new[] { 0, 2, 4 }).Data, result.View1.Data);
        Assert.Equal(Clip.FromFrames(full, new[] { 39, 1, 3 }).Data, result.View2.Data);

        var missing = new ViewPair([99], [100], 99, 100, 1, false, 140);
        Assert.Throws<ArgumentException>(() => new TwoViewAugmenter(options).Augment(frames, missing, new Random(1)));
    }

    [Fact]
    public void FloatClipInputMatchesByteInput()
    {
        var frames = TestClips.PatternFrames(2, 20, 26);
        var augmenter = new TwoViewAugmenter(Small);
        AugmentedPair fromBytes = augmenter.Augment(frames, frames, new Random(21));
        Clip clip = Clip.FromFrames(frames);
        AugmentedPair fromFloats = augmenter.Augment(clip, clip, new Random(21));
        for (int i = 0; i < fromBytes.View1.Data.Length; i++)
        {
            Assert.Equal(fromBytes.View1.Data[i], fromFloats.View1.Data[i], 1e-4);
            Assert.Equal(fromBytes.View2.Data[i], fromFloats.View2.Data[i], 1e-4);
        }
    }

    [Fact]
    public void InvalidOptionsAndBoxesThrow()
    {
        Assert.Throws<ArgumentException>(() => new TwoViewAugmenter(AugmentationOptions.Official with { FlipProbability = 1.5 }));
        Assert.Throws<ArgumentException>(() => new TwoViewAugmenter(AugmentationOptions.Official with { CropAreaMin = 0 }));
        Assert.Throws<ArgumentException>(() => new TwoViewAugmenter(AugmentationOptions.Official with { Hue = 0.7f }));
        var frames = TestClips.PatternFrames(1, 8, 8);
        Assert.Throws<ArgumentException>(() => new TwoViewAugmenter(Small).Augment(frames, frames, new Random(1), new float[5]));
    }
}

using System.Numerics;
using System.Runtime.InteropServices;
using ConstCl.Sampling;
using ConstCl.Video;

namespace ConstCl.Augmentation;

/// <summary>
/// The official two-view pre-training augmentation (spec §5.2), per view: random resized crop (from the
/// uint8 frames) → horizontal flip → colour jitter (p 0.8) → grayscale (p 0.2) → Gaussian blur
/// (p 1.0 / 0.1) → solarize (p 0 / 0.2) → clip to [0, 1] → map to [−1, 1]. Every parameter is drawn once
/// per view, so the views are temporally consistent. Boxes, when given, are moved by the crop and the
/// flip in the same call. Stateless: one instance may be shared by threads that each own a <see cref="Random"/>.
/// </summary>
public sealed class TwoViewAugmenter
{
    /// <summary>Creates the augmenter and validates the options.</summary>
    /// <param name="options">Settings; null means <see cref="AugmentationOptions.Official"/>.</param>
    public TwoViewAugmenter(AugmentationOptions? options = null)
    {
        Options = options ?? AugmentationOptions.Official;
        Options.Validate();
    }

    /// <summary>The settings in effect.</summary>
    public AugmentationOptions Options { get; }

    /// <summary>Augments two views given as uint8 frame sequences (one per view, each the view's frames in order).</summary>
    /// <param name="view1">View 1's frames.</param>
    /// <param name="view2">View 2's frames.</param>
    /// <param name="random">The generator every draw comes from.</param>
    /// <param name="boxes1">Optional boxes of view 1 in its source frame: normalised (x1, y1, x2, y2) quadruples.</param>
    /// <param name="boxes2">Optional boxes of view 2.</param>
    public AugmentedPair Augment(FrameSequence view1, FrameSequence view2, Random random, float[]? boxes1 = null, float[]? boxes2 = null)
    {
        ArgumentNullException.ThrowIfNull(view1);
        ArgumentNullException.ThrowIfNull(view2);
        return Augment(
            new ViewSource(view1, AllPositions(view1)),
            new ViewSource(view2, AllPositions(view2)),
            random,
            boxes1,
            boxes2);
    }

    /// <summary>
    /// Augments the two views of <paramref name="pair"/> taken from <paramref name="frames"/>; each needed
    /// source frame index is looked up in <see cref="FrameSequence.FrameIndices"/>.
    /// </summary>
    /// <param name="frames">Decoded frames holding at least every frame the pair needs.</param>
    /// <param name="pair">The sampled view pair.</param>
    /// <param name="random">The generator.</param>
    /// <param name="boxes1">Optional boxes of view 1 in the source frame.</param>
    /// <param name="boxes2">Optional boxes of view 2 in the source frame.</param>
    public AugmentedPair Augment(FrameSequence frames, ViewPair pair, Random random, float[]? boxes1 = null, float[]? boxes2 = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(pair);
        var positionOf = new Dictionary<int, int>(frames.Count);
        for (int p = 0; p < frames.Count; p++)
        {
            positionOf.TryAdd(frames.FrameIndices[p], p);
        }

        return Augment(
            new ViewSource(frames, Lookup(pair.View1Frames)),
            new ViewSource(frames, Lookup(pair.View2Frames)),
            random,
            boxes1,
            boxes2);

        int[] Lookup(IReadOnlyList<int> indices)
        {
            var positions = new int[indices.Count];
            for (int i = 0; i < positions.Length; i++)
            {
                if (!positionOf.TryGetValue(indices[i], out positions[i]))
                {
                    throw new ArgumentException($"Source frame {indices[i]} needed by the view pair is not in the decoded frames.", nameof(frames));
                }
            }

            return positions;
        }
    }

    /// <summary>Augments two views given as float clips in [0, 1] (the crop then interpolates floats).</summary>
    /// <param name="view1">View 1, <c>[T, H, W, 3]</c> in [0, 1]; not modified.</param>
    /// <param name="view2">View 2; not modified.</param>
    /// <param name="random">The generator.</param>
    /// <param name="boxes1">Optional boxes of view 1 in its source frame.</param>
    /// <param name="boxes2">Optional boxes of view 2.</param>
    public AugmentedPair Augment(Clip view1, Clip view2, Random random, float[]? boxes1 = null, float[]? boxes2 = null)
    {
        ArgumentNullException.ThrowIfNull(view1);
        ArgumentNullException.ThrowIfNull(view2);
        return Augment(new ViewSource(view1), new ViewSource(view2), random, boxes1, boxes2);
    }

    private AugmentedPair Augment(ViewSource source1, ViewSource source2, Random random, float[]? boxes1, float[]? boxes2)
    {
        ArgumentNullException.ThrowIfNull(random);
        BoxQuads.Validate(boxes1, nameof(boxes1));
        BoxQuads.Validate(boxes2, nameof(boxes2));

        bool? sharedFlip = Options.FlipMode switch
        {
            FlipMode.Shared => random.NextDouble() < Options.FlipProbability,
            FlipMode.None => false,
            _ => null,
        };

        var (clip1, out1, aug1) = AugmentView(source1, boxes1, random, sharedFlip, Options.BlurProbabilityView1, Options.SolarizeProbabilityView1);
        var (clip2, out2, aug2) = AugmentView(source2, boxes2, random, sharedFlip, Options.BlurProbabilityView2, Options.SolarizeProbabilityView2);
        return new AugmentedPair(clip1, clip2, out1, out2, aug1, aug2);
    }

    private (Clip Clip, float[]? Boxes, ViewAugmentation Applied) AugmentView(
        ViewSource source, float[]? boxes, Random random, bool? flipDecision, double blurProbability, double solarizeProbability)
    {
        AugmentationOptions o = Options;
        CropRect crop = RandomResizedCrop.SampleCrop(source.Width, source.Height, random, o);
        var (clip, moved) = source.Frames is not null
            ? RandomResizedCrop.Apply(source.Frames, source.Positions!, crop, o.OutputHeight, o.OutputWidth, boxes, o.QuantizeAfterResize)
            : RandomResizedCrop.Apply(source.Clip!, crop, o.OutputHeight, o.OutputWidth, boxes, o.QuantizeAfterResize);

        // From here on the clip is ours: every operation works in place on it.
        bool flip = flipDecision ?? (random.NextDouble() < o.FlipProbability);
        if (flip)
        {
            HorizontalFlip.FlipInPlace(clip);
            if (moved is not null)
            {
                moved = HorizontalFlip.FlipBoxes(moved);
            }
        }

        ColorJitterParameters? jitter = ColorJitter.MaybeSample(random, o);
        if (jitter is not null)
        {
            ColorJitter.ApplyInPlace(clip.Data, jitter);
        }

        bool gray = random.NextDouble() < o.GrayscaleProbability;
        if (gray)
        {
            Grayscale.ApplyInPlace(clip.Data);
        }

        float? sigma = GaussianBlur.MaybeSampleSigma(random, blurProbability, o);
        if (sigma is not null && o.EffectiveBlurKernelSize > 1)
        {
            GaussianBlur.ApplyInPlace(clip, GaussianBlur.Kernel(o.EffectiveBlurKernelSize, sigma.Value));
        }

        bool solarize = random.NextDouble() < solarizeProbability;
        if (solarize)
        {
            Solarize.ApplyInPlace(clip.Data);
        }

        FinalizeRange(clip.Data, o.ZeroCenter);
        return (clip, moved, new ViewAugmentation(crop, flip, jitter, gray, sigma, solarize));
    }

    /// <summary>Clip to [0, 1], then optionally <c>2(x − 0.5)</c> into [−1, 1].</summary>
    internal static void FinalizeRange(Span<float> data, bool zeroCenter)
    {
        ColorJitter.ClipToUnit(data);
        if (!zeroCenter)
        {
            return;
        }

        var half = new Vector<float>(0.5f);
        var two = new Vector<float>(2f);
        Span<Vector<float>> vectors = MemoryMarshal.Cast<float, Vector<float>>(data);
        for (int i = 0; i < vectors.Length; i++)
        {
            vectors[i] = two * (vectors[i] - half);
        }

        for (int i = vectors.Length * Vector<float>.Count; i < data.Length; i++)
        {
            data[i] = 2f * (data[i] - 0.5f);
        }
    }

    private static int[] AllPositions(FrameSequence frames)
    {
        if (frames.Count == 0)
        {
            throw new ArgumentException("A view needs at least one frame.", nameof(frames));
        }

        return Enumerable.Range(0, frames.Count).ToArray();
    }

    /// <summary>Where a view's pixels come from: uint8 frames at positions, or a float clip.</summary>
    private sealed class ViewSource
    {
        public ViewSource(FrameSequence frames, int[] positions)
        {
            Frames = frames;
            Positions = positions;
            Width = frames.Width;
            Height = frames.Height;
        }

        public ViewSource(Clip clip)
        {
            Clip = clip;
            Width = clip.Width;
            Height = clip.Height;
        }

        public FrameSequence? Frames { get; }

        public int[]? Positions { get; }

        public Clip? Clip { get; }

        public int Width { get; }

        public int Height { get; }
    }
}

using ConstCl.Augmentation;
using ConstCl.Regions;
using ConstCl.Sampling;
using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// Builds one <see cref="TwoViewSample"/> from one video: CVRL two-view sampling → decode only the frames the views
/// need → the two-view augmentation → boxes. Boxes follow the official order: random and segmentation boxes are
/// proposed on the augmented clip; external boxes are given in source-frame coordinates and moved by the
/// augmenter's crop and flip (boxes left with no area are marked invalid). Stateless apart from its settings:
/// worker threads share one instance, each passing its own <see cref="Random"/>.
/// </summary>
internal sealed class TwoViewSampleBuilder
{
    private readonly IVideoFrameProvider _provider;
    private readonly CvrlTemporalSampler _sampler;
    private readonly TwoViewAugmenter _augmenter;
    private readonly IRegionProposer _proposer;
    private readonly RegionProposerKind _kind;
    private readonly int _size;

    internal TwoViewSampleBuilder(IVideoFrameProvider provider, LoaderOptions options, IRegionProposer? proposer = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _provider = provider;
        _sampler = new CvrlTemporalSampler(options.Frames, options.Stride, options.MinimumViewGap);
        _augmenter = new TwoViewAugmenter(options.EffectiveAugmentation);
        _kind = options.RegionProposer;
        _proposer = proposer ?? CreateProposer(options);
        if (_proposer.BoxesPerFrame != options.BoxesPerFrame)
        {
            throw new ArgumentException($"The region proposer returns {_proposer.BoxesPerFrame} boxes per frame; BoxesPerFrame is {options.BoxesPerFrame}.", nameof(proposer));
        }

        _size = options.Size;
        Frames = options.Frames;
    }

    /// <summary>T, frames per view.</summary>
    internal int Frames { get; }

    /// <summary>The proposer the options ask for.</summary>
    internal static IRegionProposer CreateProposer(LoaderOptions options) => options.RegionProposer switch
    {
        RegionProposerKind.Random => new RandomRegionProposer(new RandomRegionOptions { BoxesPerFrame = options.BoxesPerFrame }),
        RegionProposerKind.Slic => new SlicRegionProposer(new SlicRegionOptions { BoxesPerFrame = options.BoxesPerFrame, Segments = options.BoxesPerFrame }),
        RegionProposerKind.Felzenszwalb => new FelzenszwalbRegionProposer(new FelzenszwalbRegionOptions { BoxesPerFrame = options.BoxesPerFrame }),
        RegionProposerKind.External => ExternalRegionProposer.Load(options.ExternalBoxesPath!, new ExternalRegionOptions { BoxesPerFrame = options.BoxesPerFrame }),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.RegionProposer, "Unknown region proposer."),
    };

    /// <summary>Builds the sample of video <paramref name="videoIndex"/>; every draw comes from <paramref name="random"/>.</summary>
    internal TwoViewSample Build(int videoIndex, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        string key = _provider.KeyOf(videoIndex);
        int length = _provider.CountFrames(videoIndex);
        if (length <= 0)
        {
            throw new VideoDecodeException(VideoErrorKind.Empty, key, "No frame decodes.");
        }

        ViewPair pair = _sampler.Sample(length, random);
        int[] needed = pair.View1Frames.Concat(pair.View2Frames).Distinct().Order().ToArray();
        FrameSequence frames = _provider.ReadFrames(videoIndex, needed);

        AugmentedPair augmented;
        RegionProposals? proposals1 = null;
        RegionProposals? proposals2 = null;
        if (_kind == RegionProposerKind.External)
        {
            // Source-frame boxes: propose on the source frames (looked up by frame index), let the crop/flip move them.
            proposals1 = _proposer.Propose(ViewFrames(frames, pair.View1Frames), random, key);
            proposals2 = _proposer.Propose(ViewFrames(frames, pair.View2Frames), random, key);
            augmented = _augmenter.Augment(frames, pair, random, Quads(proposals1), Quads(proposals2));
        }
        else
        {
            augmented = _augmenter.Augment(frames, pair, random);
            proposals1 = Propose(augmented.View1, random, key);
            proposals2 = Propose(augmented.View2, random, key);
        }

        float[] boxes1 = augmented.Boxes1 ?? Quads(proposals1);
        float[] boxes2 = augmented.Boxes2 ?? Quads(proposals2);
        return new TwoViewSample(
            videoIndex,
            key,
            Frames,
            _size,
            _proposer.BoxesPerFrame,
            augmented.View1.ToArray(ClipLayout.Cthw),
            augmented.View2.ToArray(ClipLayout.Cthw),
            boxes1,
            boxes2,
            Mask(proposals1, boxes1),
            Mask(proposals2, boxes2),
            pair.View1Frames.Select(i => (long)i).ToArray(),
            pair.View2Frames.Select(i => (long)i).ToArray());
    }

    private RegionProposals Propose(Clip clip, Random random, string key)
    {
        if (_proposer is RandomRegionProposer randomProposer)
        {
            return randomProposer.Propose(clip.Frames, random);
        }

        return _proposer.Propose(ToBytes(clip, _augmenter.Options.ZeroCenter), random, key);
    }

    /// <summary>The augmented clip back as RGB24 (what a segmentation proposer looks at).</summary>
    private static FrameSequence ToBytes(Clip clip, bool zeroCentred)
    {
        var frames = new byte[clip.Frames][];
        for (int t = 0; t < clip.Frames; t++)
        {
            Span<float> src = clip.Frame(t);
            var dst = new byte[src.Length];
            for (int i = 0; i < dst.Length; i++)
            {
                float unit = zeroCentred ? (src[i] + 1f) * 0.5f : src[i];
                dst[i] = (byte)Math.Clamp(MathF.Round(unit * 255f), 0f, 255f);
            }

            frames[t] = dst;
        }

        return new FrameSequence(frames, clip.Width, clip.Height);
    }

    private static FrameSequence ViewFrames(FrameSequence frames, IReadOnlyList<int> view)
    {
        var position = new Dictionary<int, int>();
        for (int p = 0; p < frames.Count; p++)
        {
            position.TryAdd(frames.FrameIndices[p], p);
        }

        return new FrameSequence(view.Select(i => frames.Frames[position[i]]).ToArray(), frames.Width, frames.Height, view.ToArray(), frames.FramesPerSecond);
    }

    /// <summary>Flat <c>[T, N, 4]</c> (x1, y1, x2, y2).</summary>
    private static float[] Quads(RegionProposals proposals)
    {
        var result = new float[proposals.FrameCount * proposals.BoxesPerFrame * 4];
        int i = 0;
        foreach (RegionBox[] frame in proposals.Boxes)
        {
            foreach (RegionBox b in frame)
            {
                result[i++] = b.X1;
                result[i++] = b.Y1;
                result[i++] = b.X2;
                result[i++] = b.Y2;
            }
        }

        return result;
    }

    /// <summary>The proposer's validity, and false for a box the crop left without area.</summary>
    private static bool[] Mask(RegionProposals proposals, float[] boxes)
    {
        bool[] valid = proposals.ToValidArray();
        for (int j = 0; j < valid.Length; j++)
        {
            valid[j] &= boxes[(4 * j) + 2] > boxes[4 * j] && boxes[(4 * j) + 3] > boxes[(4 * j) + 1];
        }

        return valid;
    }
}

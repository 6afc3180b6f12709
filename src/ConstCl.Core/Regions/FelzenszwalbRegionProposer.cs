using ConstCl.Video;

namespace ConstCl.Regions;

/// <summary>
/// Graph-based segmentation boxes (paper §3.3, Table 7 "FH"): each frame is segmented by
/// Felzenszwalb–Huttenlocher (IJCV 2004) as <c>skimage.segmentation.felzenszwalb</c> does (Gaussian
/// pre-smoothing, 8-connected grid graph with RGB distances, threshold <c>k/|C|</c>, small segments
/// merged afterwards), and the bounding boxes of the <see cref="FelzenszwalbRegionOptions.BoxesPerFrame"/>
/// largest segments are returned, ranked by pixel count (ties: the segment met first in raster
/// order). Frames with fewer segments are padded and the padding marked invalid
/// (<see cref="IRegionProposer"/>). Boxes are normalised to the frame given; the proposer is
/// deterministic and ignores the <see cref="Random"/>.
/// </summary>
public sealed class FelzenszwalbRegionProposer : IRegionProposer
{
    private readonly FelzenszwalbRegionOptions _options;

    /// <summary>Creates the proposer.</summary>
    /// <param name="options">Options; null means the defaults (scale 300, σ 0.8, min size 200, 16 boxes).</param>
    public FelzenszwalbRegionProposer(FelzenszwalbRegionOptions? options = null)
    {
        _options = options ?? new FelzenszwalbRegionOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public int BoxesPerFrame => _options.BoxesPerFrame;

    /// <summary>The options in use.</summary>
    public FelzenszwalbRegionOptions Options => _options;

    /// <inheritdoc/>
    public RegionProposals Propose(FrameSequence clip, Random random, string? videoKey = null) =>
        SegmentBoxes.ProposeLargest(clip, _options.BoxesPerFrame, Segment);

    /// <summary>The label map <c>[H·W]</c> (labels from 0) of one RGB24 frame.</summary>
    internal int[] Segment(byte[] rgb24, int width, int height) =>
        Felzenszwalb.Segment(rgb24, width, height, _options.Scale, _options.Sigma, _options.MinSize, out _);
}

using ConstCl.Video;

namespace ConstCl.Regions;

/// <summary>
/// Superpixel boxes (paper §3.3, Table 7 "SLIC"): each frame is segmented by SLIC (Achanta et al.
/// 2012) as <c>skimage.segmentation.slic</c> does (RGB → CIELAB, grid seeds from
/// <see cref="SlicRegionOptions.Segments"/>, <see cref="SlicRegionOptions.Compactness"/>,
/// <see cref="SlicRegionOptions.MaxIterations"/>, connectivity enforced), and the bounding boxes of
/// the <see cref="SlicRegionOptions.BoxesPerFrame"/> largest segments are returned, ranked by pixel
/// count (ties: the segment met first in raster order). Frames with fewer segments are padded and
/// the padding marked invalid (<see cref="IRegionProposer"/>). Boxes are normalised to the frame
/// given; the proposer is deterministic and ignores the <see cref="Random"/>.
/// </summary>
public sealed class SlicRegionProposer : IRegionProposer
{
    private readonly SlicRegionOptions _options;

    /// <summary>Creates the proposer.</summary>
    /// <param name="options">Options; null means 16 superpixels, 16 boxes, skimage defaults.</param>
    public SlicRegionProposer(SlicRegionOptions? options = null)
    {
        _options = options ?? new SlicRegionOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public int BoxesPerFrame => _options.BoxesPerFrame;

    /// <summary>The options in use.</summary>
    public SlicRegionOptions Options => _options;

    /// <inheritdoc/>
    public RegionProposals Propose(FrameSequence clip, Random random, string? videoKey = null) =>
        SegmentBoxes.ProposeLargest(clip, _options.BoxesPerFrame, Segment);

    /// <summary>The SLIC label map <c>[H·W]</c> (labels from 1) of one RGB24 frame.</summary>
    internal int[] Segment(byte[] rgb24, int width, int height) =>
        Slic.Segment(rgb24, width, height, _options.Segments, _options.Compactness, _options.MaxIterations, _options.EnforceConnectivity);
}

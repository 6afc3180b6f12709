using ConstCl.Video;

namespace ConstCl.Regions;

/// <summary>
/// A source of region boxes (spec §3.1–3.2; paper §3.3 and Table 7): for every frame of a clip it
/// returns exactly <see cref="BoxesPerFrame"/> boxes, normalised to that frame, with a validity mask.
/// <para>
/// <b>Padding rule</b> (every implementation): when a frame has fewer than <c>N</c> regions, the found
/// boxes are repeated cyclically in their ranked order (box <c>k</c> of the padding is found box
/// <c>k mod found</c>) and the repeats are marked invalid; a frame with no region at all gets
/// <see cref="RegionBox.FullFrame"/> boxes, all invalid. Repeating real boxes keeps ROI pooling on
/// meaningful areas while the mask keeps the repeats out of the loss.
/// </para>
/// <para>
/// Implementations are stateless apart from their options and are safe to call from several threads
/// (each with its own <see cref="Random"/>). Segmentation-based proposers cost milliseconds per frame:
/// pass only the frames whose boxes are used (the key frame, spec §3.3).
/// </para>
/// </summary>
public interface IRegionProposer
{
    /// <summary>Number of boxes <c>N</c> returned for every frame.</summary>
    int BoxesPerFrame { get; }

    /// <summary>Proposes boxes for every frame of <paramref name="clip"/>.</summary>
    /// <param name="clip">RGB24 frames <c>[T][H, W, 3]</c>; their <see cref="FrameSequence.FrameIndices"/>
    /// identify source frames for proposers that look boxes up.</param>
    /// <param name="random">Generator for random proposers (others ignore it).</param>
    /// <param name="videoKey">The video the frames come from, for proposers keyed by video
    /// (<see cref="ExternalRegionProposer"/>); others ignore it.</param>
    /// <returns>Boxes and validity, <c>[T][N]</c>.</returns>
    RegionProposals Propose(FrameSequence clip, Random random, string? videoKey = null);
}

using ConstCl.Video;

namespace ConstCl.Regions;

/// <summary>Conveniences over <see cref="IRegionProposer"/>.</summary>
public static class RegionProposerExtensions
{
    /// <summary>Proposes boxes for one RGB24 frame <c>[H, W, 3]</c>.</summary>
    /// <param name="proposer">The proposer.</param>
    /// <param name="rgb24">Frame bytes, <c>height·width·3</c>, row-major.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="random">Generator for random proposers.</param>
    /// <param name="videoKey">Video key for keyed proposers (see <see cref="IRegionProposer.Propose"/>).</param>
    /// <param name="frameIndex">Source frame index for keyed proposers.</param>
    /// <param name="valid">Validity of each returned box.</param>
    /// <returns>The frame's <c>N</c> boxes.</returns>
    public static RegionBox[] ProposeFrame(this IRegionProposer proposer, byte[] rgb24, int width, int height, Random random,
        out bool[] valid, string? videoKey = null, int frameIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(proposer);
        var clip = new FrameSequence(new[] { rgb24 }, width, height, new[] { frameIndex });
        RegionProposals p = proposer.Propose(clip, random, videoKey);
        valid = p.Valid[0];
        return p.Boxes[0];
    }
}

using ConstCl.Regions;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Regions;

/// <summary>Closed-form cases of the SLIC and FH proposers (the golden comparison is in SegmentationGoldenTests).</summary>
public class SegmentRegionProposerTests
{
    private static byte[] Uniform(int w, int h, byte r, byte g, byte b)
    {
        var rgb = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++)
        {
            rgb[3 * i] = r;
            rgb[3 * i + 1] = g;
            rgb[3 * i + 2] = b;
        }

        return rgb;
    }

    [Fact]
    public void UniformFrameGivesOneFullFrameSegmentAndMaskedPadding()
    {
        // A flat frame has all edge weights 0 < k/|C|: FH merges everything into one segment.
        var clip = new FrameSequence(new[] { Uniform(32, 24, 90, 120, 200) }, 32, 24);
        RegionProposals p = new FelzenszwalbRegionProposer().Propose(clip, new Random(0));
        Assert.Equal(16, p.BoxesPerFrame);
        Assert.All(p.Boxes[0], b => Assert.Equal(RegionBox.FullFrame, b));
        Assert.Equal(new[] { true }.Concat(Enumerable.Repeat(false, 15)), p.Valid[0]);
    }

    [Fact]
    public void TwoHalvesGiveTheirBoundingBoxesLargestFirst()
    {
        // Left 12 columns red, right 20 columns blue: two segments; the larger (blue) ranks first.
        // skimage 0.19.3 agrees: felzenszwalb(img, scale=1000, sigma=0, min_size=10) and
        // slic(img, n_segments=2, compactness=0.1) both give pixel counts [192, 320] split at column 12.
        int w = 32, h = 16;
        byte[] rgb = Uniform(w, h, 0, 0, 255);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < 12; x++)
            {
                rgb[3 * (y * w + x)] = 255;
                rgb[3 * (y * w + x) + 2] = 0;
            }
        }

        var clip = new FrameSequence(new[] { rgb, rgb }, w, h);
        var expected = new[] { new RegionBox(12f / 32, 0f, 1f, 1f), new RegionBox(0f, 0f, 12f / 32, 1f) };
        RegionProposals fh = new FelzenszwalbRegionProposer(new FelzenszwalbRegionOptions { BoxesPerFrame = 3, Sigma = 0, MinSize = 10 })
            .Propose(clip, new Random(0));
        Assert.Equal(2, fh.FrameCount);
        Assert.Equal(new[] { expected[0], expected[1], expected[0] }, fh.Boxes[1]);
        Assert.Equal(new[] { true, true, false }, fh.Valid[1]);

        // SLIC with 2 seeds: high colour weight (low compactness) snaps the superpixels to the halves.
        RegionProposals slic = new SlicRegionProposer(new SlicRegionOptions { Segments = 2, Compactness = 0.1, BoxesPerFrame = 2 })
            .Propose(clip, new Random(0));
        Assert.Equal(expected, slic.Boxes[0]);
        Assert.Equal(new[] { true, true }, slic.Valid[0]);
    }

    [Fact]
    public void RegularGridMatchesScikitImage()
    {
        // skimage.util.regular_grid((1, 96, 96), 16) = (slice(0,None,1), slice(12,None,24), slice(12,None,24));
        // ((1, 224, 224), 16): steps 56, starts 28; ((1, 240, 320), 16): sqrt(4800) = 69.28 → start 34, step 69.
        var g1 = Slic.RegularGrid(96, 96, 16);
        Assert.Equal(new[] { 0, 12, 12 }, g1.Starts);
        Assert.Equal(new[] { 1, 24, 24 }, g1.Steps);
        var g2 = Slic.RegularGrid(224, 224, 16);
        Assert.Equal(new[] { 0, 28, 28 }, g2.Starts);
        Assert.Equal(new[] { 1, 56, 56 }, g2.Steps);
        var g3 = Slic.RegularGrid(240, 320, 16);
        Assert.Equal(new[] { 0, 34, 34 }, g3.Starts);
        Assert.Equal(new[] { 1, 69, 69 }, g3.Steps);
    }

    [Fact]
    public void GaussianReflectIndexIsHalfSampleSymmetric()
    {
        // scipy 'reflect': d c b a | a b c d | d c b a.
        int[] got = Enumerable.Range(-5, 14).Select(i => GaussianFilter.Reflect(i, 4)).ToArray();
        Assert.Equal(new[] { 3, 3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0 }, got);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlicRegionProposer(new SlicRegionOptions { Compactness = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SlicRegionProposer(new SlicRegionOptions { Segments = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FelzenszwalbRegionProposer(new FelzenszwalbRegionOptions { Sigma = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FelzenszwalbRegionProposer(new FelzenszwalbRegionOptions { MinSize = -1 }));
    }
}

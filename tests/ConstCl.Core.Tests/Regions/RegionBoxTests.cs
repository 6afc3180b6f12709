using ConstCl.Regions;

namespace ConstCl.Core.Tests.Regions;

public class RegionBoxTests
{
    [Fact]
    public void YxyxOrderRoundTrips()
    {
        RegionBox b = RegionBox.FromYxyx(0.1f, 0.2f, 0.6f, 0.9f);
        Assert.Equal(new RegionBox(0.2f, 0.1f, 0.9f, 0.6f), b);
        Assert.Equal((0.1f, 0.2f, 0.6f, 0.9f), b.ToYxyx());
    }

    [Fact]
    public void PixelConversionUsesContinuousEdges()
    {
        // Columns 10..29 and rows 0..239 of a 320×240 frame: right edge 30 (exclusive), bottom 240.
        RegionBox b = RegionBox.FromPixels(10, 0, 30, 240, 320, 240);
        Assert.Equal(10f / 320, b.X1);
        Assert.Equal(30f / 320, b.X2);
        Assert.Equal(1f, b.Y2);
        (double x1, double y1, double x2, double y2) = b.ToPixels(320, 240);
        Assert.Equal(10, x1, 4);
        Assert.Equal(0, y1, 4);
        Assert.Equal(30, x2, 4);
        Assert.Equal(240, y2, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => b.ToPixels(0, 240));
    }

    [Fact]
    public void ClipClampsAndCollapsesInvertedSides()
    {
        // The official random boxes give x2 = 0.999 < x1 when x1 > 0.999 (spec §3.1).
        RegionBox inverted = new(0.9995f, -0.2f, 0.999f, 1.3f);
        RegionBox c = inverted.Clip();
        Assert.Equal(new RegionBox(0.9995f, 0f, 0.9995f, 1f), c);
        Assert.Equal(0f, c.Area);
        Assert.False(c.IsWellFormed);
        Assert.True(new RegionBox(0.1f, 0.2f, 0.3f, 0.4f).IsWellFormed);
    }

    [Fact]
    public void IoUMatchesHandComputedValues()
    {
        var a = new RegionBox(0f, 0f, 0.5f, 0.5f);
        var b = new RegionBox(0.25f, 0.25f, 0.75f, 0.75f);
        // Intersection 0.25², union 2·0.25 − 0.0625.
        Assert.Equal(0.0625f / 0.4375f, a.IoU(b), 6);
        Assert.Equal(1f, a.IoU(a), 6);
        Assert.Equal(0f, a.IoU(new RegionBox(0.6f, 0.6f, 0.9f, 0.9f)));
        Assert.Equal(a.IoU(b), b.IoU(a));
    }

    [Fact]
    public void ProposalsFlattenToOfficialOrder()
    {
        var p = new RegionProposals(
            new[] { new[] { new RegionBox(0.1f, 0.2f, 0.3f, 0.4f), RegionBox.FullFrame } },
            new[] { new[] { true, false } });
        Assert.Equal(new[] { 0.2f, 0.1f, 0.4f, 0.3f, 0f, 0f, 1f, 1f }, p.ToYxyxArray());
        Assert.Equal(new[] { true, false }, p.ToValidArray());
        Assert.Throws<ArgumentException>(() => new RegionProposals(
            new[] { new RegionBox[2], new RegionBox[3] }, new[] { new bool[2], new bool[3] }));
    }
}

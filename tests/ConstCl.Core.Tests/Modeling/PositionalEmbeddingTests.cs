using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class PositionalEmbeddingTests
{
    public PositionalEmbeddingTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void GridIsCentredRowMajorIndices()
    {
        // Spec §3.6: meshgrid(range(L), range(7), range(7), 'ij') minus its mean → t ∈ {−2..2}, y, x ∈ {−3..3}.
        using var grid = PositionalEmbedding.CenteredGrid(5, 7, 7);
        Assert.Equal(new long[] { 245, 3 }, grid.shape);
        Assert.Equal(new float[] { -2, -3, -3 }, grid[0].data<float>().ToArray());
        Assert.Equal(new float[] { 2, 3, 3 }, grid[244].data<float>().ToArray());
        Assert.Equal(new float[] { -1, -1, 1 }, grid[(1 * 7 + 2) * 7 + 4].data<float>().ToArray());
        // L = 3: slots 2, 4, 6 get t = −1, 0, 1 (slot index, not frame offset).
        using var g3 = PositionalEmbedding.CenteredGrid(3, 1, 1);
        Assert.Equal(new float[] { -1, 0, 0, 0, 0, 0, 1, 0, 0 }, g3.data<float>().ToArray());
    }

    [Fact]
    public void TwoSmallMlpsWithOneHundredParameters()
    {
        using var g = new Generator(1);
        using var pe = PositionalEmbedding.Create(new LocalHeadOptions(), g);
        // (1·4+4) + (4·8+8) + (2·4+4) + (4·8+8) = 100 (spec §7).
        Assert.Equal(100, pe.parameters().Sum(p => p.numel()));
        using var grid = PositionalEmbedding.CenteredGrid(5, 7, 7);
        using var e = pe.forward(grid);
        Assert.Equal(new long[] { 245, 16 }, e.shape);
        // The first 8 channels depend on t only; the last 8 on (y, x) only.
        Assert.True(e[0, 0..8].SameAs(e[48, 0..8]));
        Assert.False(e[0, 0..8].SameAs(e[49, 0..8]));
        Assert.True(e[0, 8..16].SameAs(e[49, 8..16]));
    }
}

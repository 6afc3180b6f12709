using ConstCl.Modeling;

namespace ConstCl.Core.Tests.Modeling;

public class TfSamePaddingTests
{
    // Spec §1.7 table: (before, after) of TF 'same' padding.
    [Theory]
    [InlineData(16, 5, 2, 1, 2)]    // stem conv, temporal
    [InlineData(224, 7, 2, 2, 3)]   // stem conv, spatial
    [InlineData(112, 3, 2, 0, 1)]   // stem pool
    [InlineData(56, 3, 2, 0, 1)]    // res3 first block
    [InlineData(14, 3, 2, 0, 1)]    // res5 first block
    [InlineData(8, 3, 1, 1, 1)]     // stride 1: symmetric k//2
    [InlineData(7, 1, 1, 0, 0)]
    public void PadsMatchTheTable(long n, int k, int s, long before, long after)
    {
        // F.pad order on [B, C, T, H, W]: (W before, W after, H before, H after, T before, T after); put the case on H.
        var pads = TfSamePadding.Pads([1, n, 1], [1, k, 1], [1, s, 1]);
        Assert.Equal(new long[] { 0, 0, before, after, 0, 0 }, pads);
    }
}

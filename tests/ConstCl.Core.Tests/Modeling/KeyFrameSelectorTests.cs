using ConstCl.Modeling;
using ConstCl.Runtime;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class KeyFrameSelectorTests
{
    public KeyFrameSelectorTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void CenterIsTheMiddleInputFrameAndFeatureSlice()
    {
        var (a, b) = KeyFrameSelector.Select(KeyFrameStrategy.Center, 3, 16, null, null, null);
        Assert.Equal(new long[] { 8, 8, 8 }, a);
        Assert.Equal(new long[] { 8, 8, 8 }, b);
        // Spec §3.3: input frame 8 of 16 ↔ feature slice 4 of 8.
        Assert.Equal(4, KeyFrameSelector.FeatureSlice(8, 16, 8));
        Assert.Equal(7, KeyFrameSelector.FeatureSlice(15, 16, 8));
        Assert.Equal(2, KeyFrameSelector.FeatureSlice(4, 8, 4));
    }

    [Fact]
    public void NearestPicksOverlappingFramesOrTheFacingEnds()
    {
        long[] a = [.. Enumerable.Range(0, 16).Select(i => 2L * i)];          // frames 0..30
        long[] overlap = [.. Enumerable.Range(0, 16).Select(i => 20L + 2 * i)];  // frames 20..50: overlap 20..30
        var (i, j) = KeyFrameSelector.Nearest(a, overlap);
        Assert.Equal(a[i], overlap[j]);
        // Among the zero-distance pairs (10,0)..(15,5) every one is 10 slots off-centre; the first wins.
        Assert.Equal((10L, 0L), (i, j));

        long[] later = [.. Enumerable.Range(0, 16).Select(k => 100L + 2 * k)];
        Assert.Equal((15L, 0L), KeyFrameSelector.Nearest(a, later));
        Assert.Equal((0L, 15L), KeyFrameSelector.Nearest(later, a));   // B before A: A's first, B's last frame

        // Identical clips: distance 0 everywhere, the centre pair wins.
        Assert.Equal((8L, 8L), KeyFrameSelector.Nearest(a, a));
    }

    [Fact]
    public void NearestReadsFrameTimesPerVideo()
    {
        using var ta = tensor(new long[] { 0, 1, 2, 3, 10, 11, 12, 13 }).view(2, 4);
        using var tb = tensor(new long[] { 3, 4, 5, 6, 0, 1, 2, 3 }).view(2, 4);
        var (a, b) = KeyFrameSelector.Select(KeyFrameStrategy.Nearest, 2, 4, ta, tb, null);
        Assert.Equal(new long[] { 3, 0 }, a);   // video 0: frame 3 = frame 3; video 1: facing ends 10 and 3
        Assert.Equal(new long[] { 0, 3 }, b);
        var ex = Assert.Throws<ArgumentException>(() => KeyFrameSelector.Select(KeyFrameStrategy.Nearest, 2, 4, null, tb, null));
        Assert.Equal("FrameTimesA", ex.ParamName);
    }

    [Fact]
    public void RandomIsSeededAndInRange()
    {
        var (a1, b1) = KeyFrameSelector.Select(KeyFrameStrategy.Random, 64, 16, null, null, new Random(9));
        var (a2, b2) = KeyFrameSelector.Select(KeyFrameStrategy.Random, 64, 16, null, null, new Random(9));
        Assert.Equal(a1, a2);
        Assert.Equal(b1, b2);
        Assert.All(a1.Concat(b1), f => Assert.InRange(f, 0, 15));
        Assert.True(a1.Distinct().Count() > 4);
        Assert.NotEqual(a1, b1);
    }
}

using ConstCl.Ops;
using ConstCl.Runtime;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Ops;

public class BoxConversionsTests
{
    public BoxConversionsTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void NormalizedAndPixelUnitsRoundTrip()
    {
        using var scope = NewDisposeScope();
        var boxes = tensor(new float[] { 0.1f, 0.2f, 0.5f, 1.0f, 0f, 0f, 0.25f, 0.75f }).reshape(1, 2, 4);
        var pixels = BoxConversions.NormalizedToPixels(boxes, height: 10, width: 20);
        // x scales by the width, y by the height.
        Assert.Equal(new float[] { 2, 2, 10, 10, 0, 0, 5, 7.5f }, pixels.data<float>().ToArray());
        var back = BoxConversions.PixelsToNormalized(pixels, 10, 20).data<float>().ToArray();
        RoiAlignTests.AssertClose(boxes.data<float>().ToArray(), back, 1e-7, "round trip");
    }

    [Fact]
    public void OfficialOrderSwapsXAndY()
    {
        using var scope = NewDisposeScope();
        var xyxy = tensor(new float[] { 1, 2, 3, 4 }).reshape(1, 4);
        var yxyx = BoxConversions.ToOfficialOrder(xyxy);
        Assert.Equal(new float[] { 2, 1, 4, 3 }, yxyx.data<float>().ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, BoxConversions.FromOfficialOrder(yxyx).data<float>().ToArray());
    }

    [Fact]
    public void ToRoisPrefixesTheImageIndex()
    {
        using var scope = NewDisposeScope();
        var boxes = arange(2 * 2 * 4, float32).reshape(2, 2, 4);
        var rois = BoxConversions.ToRois(boxes, shift: 0.5);
        Assert.Equal(new long[] { 4, 5 }, rois.shape);
        Assert.Equal(
            new float[] { 0, 0.5f, 1.5f, 2.5f, 3.5f, 0, 4.5f, 5.5f, 6.5f, 7.5f, 1, 8.5f, 9.5f, 10.5f, 11.5f, 1, 12.5f, 13.5f, 14.5f, 15.5f },
            rois.data<float>().ToArray());
        Assert.Throws<ArgumentException>(() => BoxConversions.ToRois(zeros(2, 4)));
        Assert.Throws<ArgumentException>(() => BoxConversions.NormalizedToPixels(zeros(2, 3), 1, 1));
    }

    [Fact]
    public void L2NormalizeUsesTensorFlowEpsilon()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 3, 4, 0, 0, 1e-7, 0 }, float64).reshape(3, 2);
        var y = L2Normalize.Apply(x).data<double>().ToArray();
        // [3,4] → [0.6, 0.8]; zero stays zero; a tiny vector is divided by sqrt(1e-12) = 1e-6, not by its norm.
        RoiAlignTests.AssertClose(new[] { 0.6, 0.8, 0, 0, 0.1, 0 }, y, 1e-12, "l2 normalise");
    }
}

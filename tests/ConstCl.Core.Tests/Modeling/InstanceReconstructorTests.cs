using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class InstanceReconstructorTests
{
    public InstanceReconstructorTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void OfficialTestShapes()
    {
        // Spec §3.7 (instance_reconstructor_test.py): 12 clips (B = 6), features 5×7×7×128, 16 boxes, context 1
        // → inst_a, inst_b [6, 16, 128]; predictions [6, 16, C] (C = feature width here; the official test sets 1024).
        using var g = new Generator(1);
        using var head = InstanceReconstructor.Create(new LocalHeadOptions { ContextLength = 1 }, 128, g);
        using var features = ConstClModel.L2NormalizeChannels(randn([12, 128, 5, 7, 7], generator: g));
        using var boxes = ModelTestData.Boxes(12, 1, 16, g).squeeze(1);
        var output = head.forward(features, boxes, [.. Enumerable.Repeat(2L, 12)]);
        Assert.Equal(new long[] { 6, 16, 128 }, output.RegionFeaturesA.shape);
        Assert.Equal(new long[] { 6, 16, 128 }, output.RegionFeaturesB.shape);
        Assert.Equal(new long[] { 6, 16, 128 }, output.PredictionsAToB.shape);
        Assert.Equal(new long[] { 6, 16, 128 }, output.PredictionsBToA.shape);
    }

    [Fact]
    public void OneDecoderServesBothDirections()
    {
        // Swapping the views swaps h ↔ h′ and z_a2b ↔ z_b2a exactly, which holds only if both directions share weights.
        using var g = new Generator(2);
        using var head = InstanceReconstructor.Create(new LocalHeadOptions { ContextLength = 3, Width = 8 }, 16, g);
        using var features = ConstClModel.L2NormalizeChannels(randn([4, 16, 4, 3, 3], generator: g));
        using var boxes = ModelTestData.Boxes(4, 1, 5, g).squeeze(1);
        long[] slices = [2, 1, 3, 2];
        var o = head.forward(features, boxes, slices);
        using var swappedFeatures = cat([features[2..], features[..2]], 0);
        using var swappedBoxes = cat([boxes[2..], boxes[..2]], 0);
        var s = head.forward(swappedFeatures, swappedBoxes, [slices[2], slices[3], slices[0], slices[1]]);
        Assert.True(s.RegionFeaturesA.allclose(o.RegionFeaturesB));
        Assert.True(s.PredictionsAToB.allclose(o.PredictionsBToA, rtol: 1e-5, atol: 1e-6));
        Assert.True(s.PredictionsBToA.allclose(o.PredictionsAToB, rtol: 1e-5, atol: 1e-6));
    }
}

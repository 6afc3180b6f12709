using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

[Collection(PaperModelCollection.Name)]
public class ConstClModelTests
{
    private readonly PaperModelFixture _paper;

    public ConstClModelTests(PaperModelFixture paper)
    {
        _paper = paper;
        TorchRuntime.Initialize(2);
    }

    [Fact]
    public void TinyForwardShapes()
    {
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 1);
        var input = ModelTestData.Input(batch: 2, frames: 8, size: 64, boxes: 3, seed: 2);
        using var output = model.forward(input);
        Assert.Equal(new long[] { 4, 32 }, output.GlobalEmbeddings.shape);
        foreach (var t in new[] { output.RegionFeaturesA, output.RegionFeaturesB, output.PredictionsAToB, output.PredictionsBToA })
        {
            Assert.Equal(new long[] { 2, 3, 256 }, t.shape);
        }

        Assert.Equal(new long[] { 2, 3 }, output.RegionMaskA.shape);
        Assert.Equal(ScalarType.Bool, output.RegionMaskA.dtype);
        Assert.True(output.RegionMaskB.all().item<bool>());
        // h comes from the L2-normalised map: a mean of unit vectors has norm ≤ 1.
        Assert.True(output.RegionFeaturesA.norm(-1).max().item<float>() <= 1 + 1e-5);
    }

    [Trait("Category", "Slow")]   // the Paper-size model
    [Fact]
    public void PaperForwardShapesAtASmallInput()
    {
        var model = _paper.Model;
        model.eval();
        using var _ = no_grad();
        var input = ModelTestData.Input(batch: 1, frames: 8, size: 64, boxes: 8, seed: 3);
        using var output = model.forward(input);
        Assert.Equal(new long[] { 2, 128 }, output.GlobalEmbeddings.shape);
        Assert.Equal(new long[] { 1, 8, 2048 }, output.RegionFeaturesA.shape);
        Assert.Equal(new long[] { 1, 8, 2048 }, output.PredictionsBToA.shape);
        model.train();
    }

    [Fact]
    public void WiringInEvalMode()
    {
        // BN in eval mode makes each clip independent, so the data flow can be read off the outputs.
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 4);
        model.eval();
        using var _ = no_grad();
        var input = ModelTestData.Input(batch: 2, frames: 8, size: 64, boxes: 3, seed: 5);
        using var reference = model.forward(input);

        // 1. Global rows: view A first. Running view A alone through the backbone gives rows 0..B−1.
        using (var features = model.Backbone.ForwardBranch(input.ViewA, BackboneBranch.Global))
        using (var g = model.GlobalHead.forward(features))
        {
            Assert.True(g.allclose(reference.GlobalEmbeddings[..2], rtol: 1e-4, atol: 1e-5));
        }

        // 2. Changing view B leaves h (view A) unchanged but changes z_a2b, which reads B's context.
        var changedB = input with { ViewB = input.ViewB.flip(4) };
        using (var o = model.forward(changedB))
        {
            Assert.True(o.RegionFeaturesA.allclose(reference.RegionFeaturesA));
            Assert.False(o.PredictionsAToB.allclose(reference.PredictionsAToB));
            Assert.False(o.RegionFeaturesB.allclose(reference.RegionFeaturesB));
        }

        // 3. Center key frame: only the boxes of input frame T/2 = 4 matter.
        var boxesA = input.BoxesA.clone();
        boxesA[.., 3] = boxesA[.., 3].flip(1);
        using (var o = model.forward(input with { BoxesA = boxesA }))
        {
            Assert.True(o.RegionFeaturesA.SameAs(reference.RegionFeaturesA));
        }

        boxesA[.., 4] = boxesA[.., 4].flip(1);
        using (var o = model.forward(input with { BoxesA = boxesA }))
        {
            Assert.True(o.RegionFeaturesA.allclose(reference.RegionFeaturesA.flip(1)));
        }

        // 4. Masks are read at the key frame too.
        var mask = ones([2, 8, 3], dtype: ScalarType.Bool);
        mask[1, 4, 2] = false;
        mask[0, 0, 0] = false;
        using (var o = model.forward(input with { MaskA = mask }))
        {
            Assert.Equal(new[] { true, true, true, true, true, false }, o.RegionMaskA.data<bool>().ToArray());
        }
    }

    [Fact]
    public void TimeReversedNegativesAreViewBPlayedBackwards()
    {
        // Eval mode: each clip is independent, so the extra rows can be checked one by one.
        using var model = ConstClModel.Create(ConstClModelOptions.Small, seed: 4);
        model.eval();
        using var _ = no_grad();
        var input = ModelTestData.Input(batch: 2, frames: 8, size: 64, boxes: 3, seed: 5);
        using var plain = model.forward(input);
        Assert.Null(plain.ReversedEmbeddings);
        using var withReversed = model.Forward(input, timeReversedNegatives: true);
        Assert.Equal(new long[] { 2, plain.GlobalEmbeddings.shape[1] }, withReversed.ReversedEmbeddings!.shape);
        // Everything else is what forward gives.
        Assert.True(withReversed.GlobalEmbeddings.allclose(plain.GlobalEmbeddings, rtol: 1e-4, atol: 1e-5));
        Assert.True(withReversed.RegionFeaturesA.allclose(plain.RegionFeaturesA, rtol: 1e-4, atol: 1e-5));
        Assert.True(withReversed.PredictionsBToA.allclose(plain.PredictionsBToA, rtol: 1e-4, atol: 1e-5));
        Assert.Equal(plain.BackboneEmbeddings!.shape, withReversed.BackboneEmbeddings!.shape);
        // Row i is view B of video i with its frames in reverse order.
        using (var features = model.Backbone.ForwardBranch(input.ViewB.flip(2), BackboneBranch.Global))
        using (var g = model.GlobalHead.forward(features))
        {
            Assert.True(g.allclose(withReversed.ReversedEmbeddings, rtol: 1e-4, atol: 1e-5));
        }

        // Frame differences change sign and order under reversal, so the reversed clip is a different input.
        Assert.False(withReversed.ReversedEmbeddings.allclose(plain.GlobalEmbeddings[2..], rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void TinyForwardBackwardStepIsFinite()
    {
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 6);
        var input = ModelTestData.Input(batch: 4, frames: 8, size: 64, boxes: 8, seed: 7);
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using (var output = model.forward(input))
        using (var loss = output.GlobalEmbeddings.square().mean() + output.PredictionsAToB.sub(output.RegionFeaturesB).square().mean()
                          + output.PredictionsBToA.square().mean())
        {
            Assert.True(loss.isfinite().item<bool>());
            loss.backward();
        }

        foreach (var (name, p) in model.named_parameters())
        {
            Assert.True(p.grad is not null, name);
            Assert.True(p.grad!.isfinite().all().item<bool>(), name);
        }

        optimizer.step();
        Assert.False(before["backbone.res5_local.0.temporal_conv.weight"].SameAs(model.named_parameters().Single(p => p.name == "backbone.res5_local.0.temporal_conv.weight").parameter));
        Assert.False(before["local_head.decoder.projection.weight"].SameAs(model.named_parameters().Single(p => p.name == "local_head.decoder.projection.weight").parameter));
    }

    [Fact]
    public void VanillaRegionHeadForContextLengthZero()
    {
        var options = ConstClModelOptions.Tiny with { LocalHead = ConstClModelOptions.Tiny.LocalHead with { ContextLength = 0 } };
        using var model = ConstClModel.Create(options, seed: 8);
        Assert.Contains(model.named_parameters(), p => p.name == "local_head.mlp.output.weight");
        Assert.DoesNotContain(model.named_parameters(), p => p.name.Contains("decoder", StringComparison.Ordinal));
        var input = ModelTestData.Input(batch: 2, frames: 8, size: 64, boxes: 3, seed: 9);
        using var output = model.forward(input);
        Assert.Equal(new long[] { 2, 3, 256 }, output.PredictionsAToB.shape);
        // Hidden 3 × (256·64 + 64 + 128 BN) then 64·256 + 256 → back to C = 256 (first hidden reads 256, others 64).
        var counts = ModelParameterCounts.Of(model);
        Assert.Equal((256 * 64 + 64 + 128) + 2 * (64 * 64 + 64 + 128) + 64 * 256 + 256, counts.LocalHead);
    }

    [Fact]
    public void NearestAndRandomStrategiesRun()
    {
        var nearest = ConstClModelOptions.Tiny with { LocalHead = ConstClModelOptions.Tiny.LocalHead with { KeyFrameStrategy = KeyFrameStrategy.Nearest } };
        using var model = ConstClModel.Create(nearest, seed: 10);
        model.eval();
        using var _ = no_grad();
        using var ta = arange(8, dtype: ScalarType.Int64).mul(2).expand(2, 8).contiguous();
        using var tb = ta + 100;
        var input = ModelTestData.Input(batch: 2, frames: 8, size: 64, boxes: 3, seed: 11, timesA: ta, timesB: tb);
        using var output = model.forward(input);
        Assert.Equal(new long[] { 2, 3, 256 }, output.PredictionsAToB.shape);
        // B is later: A's key is its last frame 7 → feature slice 3 (of 4); B's key is its first frame.
        Assert.Equal("FrameTimesA", Assert.Throws<ArgumentException>(() => model.forward(input with { FrameTimesA = null })).ParamName);

        var random = ConstClModelOptions.Tiny with
        {
            LocalHead = ConstClModelOptions.Tiny.LocalHead with { KeyFrameStrategy = KeyFrameStrategy.Random, KeyFrameSeed = 1 },
        };
        using var m1 = ConstClModel.Create(random, seed: 10);
        using var m2 = ConstClModel.Create(random, seed: 10);
        m1.eval();
        m2.eval();
        using var o1 = m1.forward(input);
        using var o2 = m2.forward(input);
        Assert.True(o1.RegionFeaturesA.SameAs(o2.RegionFeaturesA));
    }

    [Fact]
    public void RandomKeyFramesContinueFromTheSavedStateAsAnUninterruptedRunWould()
    {
        // Issue 12: the key-frame generator was a System.Random outside the state, so a resumed run drew other key frames.
        var options = ConstClModelOptions.Tiny with
        {
            LocalHead = ConstClModelOptions.Tiny.LocalHead with { KeyFrameStrategy = KeyFrameStrategy.Random, KeyFrameSeed = 4 },
        };
        var input = ModelTestData.Input(batch: 3, frames: 8, size: 64, boxes: 2, seed: 21);
        using var uninterrupted = ConstClModel.Create(options, seed: 10);
        uninterrupted.eval();
        Assert.Contains(ConstClModel.KeyFrameDrawsName, uninterrupted.state_dict().Keys);
        using (uninterrupted.forward(input))
        {
        }

        using var resumed = ConstClModel.Create(options, seed: 10);
        resumed.eval();
        resumed.load_state_dict(uninterrupted.state_dict());          // what a checkpoint restores
        using var fresh = ConstClModel.Create(options, seed: 10);
        fresh.eval();

        using var expected = uninterrupted.forward(input);             // the second draw
        using var again = resumed.forward(input);
        using var first = fresh.forward(input);                        // the first draw, for contrast
        Assert.True(again.RegionFeaturesA.SameAs(expected.RegionFeaturesA) && again.RegionFeaturesB.SameAs(expected.RegionFeaturesB));
        Assert.False(first.RegionFeaturesA.SameAs(expected.RegionFeaturesA) && first.RegionFeaturesB.SameAs(expected.RegionFeaturesB),
            "consecutive forward passes must draw different key frames");
        using var center = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 1);
        Assert.DoesNotContain(ConstClModel.KeyFrameDrawsName, center.state_dict().Keys);
    }

    [Fact]
    public void BadInputsAreRejectedWithTheirNames()
    {
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 12);
        var input = ModelTestData.Input(batch: 1, frames: 8, size: 32, boxes: 2, seed: 13);
        var ex = Assert.Throws<ArgumentException>(() => model.forward(input with { ViewB = zeros([1, 3, 4, 32, 32]) }));
        Assert.Contains("ViewB", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.forward(input with { BoxesA = zeros([1, 8, 2, 3]) }));
        Assert.Contains("BoxesA", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.forward(input with { MaskB = ones([1, 7, 2]) }));
        Assert.Contains("MaskB", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => model.forward(input with { ViewA = zeros([1, 1, 8, 32, 32]), ViewB = zeros([1, 1, 8, 32, 32]) }));
        Assert.Contains("ViewA", ex.Message);
    }
}

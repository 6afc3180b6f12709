using ConstCl.Core.Tests.Embedding;
using ConstCl.Core.Tests.Export;
using ConstCl.Embedding;
using ConstCl.Modeling;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// <see cref="InputMode.FrameDifference"/>: the transform equals a brute-force loop, the stem applies it (a static clip looks
/// like an all-zero clip), the ONNX export computes the same thing as TorchSharp, and the encoder hash tells the modes apart.
/// </summary>
public sealed class FrameDifferenceTests
{
    [Fact]
    public void Apply_is_the_forward_difference_with_a_zero_last_frame()
    {
        using var generator = new Generator(5);
        using var x = randn([2, 3, 5, 4, 3], generator: generator);
        using var d = FrameDifference.Apply(x);
        Assert.Equal(x.shape, d.shape);
        var xs = x.data<float>().ToArray();
        var ds = d.data<float>().ToArray();
        const int frames = 5, plane = 4 * 3;
        for (int bc = 0; bc < 2 * 3; bc++)
        {
            for (int t = 0; t < frames; t++)
            {
                for (int p = 0; p < plane; p++)
                {
                    int at = (bc * frames + t) * plane + p;
                    float expected = t < frames - 1 ? xs[at + plane] - xs[at] : 0f;
                    Assert.Equal(expected, ds[at]);
                }
            }
        }
    }

    [Fact]
    public void The_dead_zone_zeroes_small_differences_and_shrinks_large_ones_by_its_width()
    {
        // Frames 0 → 1 change by these amounts; the dead zone is 0.25.
        float[] steps = [0f, 0.1f, -0.2f, 0.25f, -0.25f, 0.3f, -0.75f, 1.5f];
        var frame0 = new float[steps.Length];
        var frame1 = steps.Select((d, i) => frame0[i] + d).ToArray();
        using var x = tensor(frame0.Concat(frame1).ToArray()).reshape(1, 1, 2, 1, steps.Length);
        using var d = FrameDifference.Apply(x, deadZone: 0.25);
        var got = d.data<float>().ToArray();
        for (var i = 0; i < steps.Length; i++)
        {
            // Brute force: sign(d)·max(|d| − t, 0).
            var expected = MathF.Sign(steps[i]) * MathF.Max(MathF.Abs(steps[i]) - 0.25f, 0f);
            Assert.True(MathF.Abs(expected - got[i]) < 1e-6f, $"d = {steps[i]}: expected {expected}, got {got[i]}");
            Assert.Equal(0f, got[steps.Length + i]);                                    // the last frame stays zero
        }
    }

    [Fact]
    public void A_dead_zone_needs_difference_mode_and_a_sensible_width()
    {
        var rgb = ConstClModelOptions.Tiny.Backbone with { InputMode = InputMode.Rgb, FrameDifferenceDeadZone = 0.05 };
        Assert.Contains("FrameDifferenceDeadZone", Assert.Throws<ArgumentException>(rgb.Validate).Message);
        var negative = ConstClModelOptions.Small.Backbone with { FrameDifferenceDeadZone = -0.01 };
        Assert.Contains("[0, 2)", Assert.Throws<ArgumentException>(negative.Validate).Message);
        (ConstClModelOptions.Small.Backbone with { FrameDifferenceDeadZone = 0.05 }).Validate();
    }

    [Fact]
    public void Onnx_export_matches_TorchSharp_with_a_dead_zone_and_the_hash_tells_it_apart()
    {
        using var model = Tiny(InputMode.FrameDifference, seed: 8, deadZone: 0.1);
        using var plain = Tiny(InputMode.FrameDifference, seed: 8);
        using var encoder = VideoEncoder.FromModel(model);
        using var plainEncoder = VideoEncoder.FromModel(plain);
        Assert.NotEqual(plainEncoder.Hash, encoder.Hash);                                // same weights, different input transform

        using var clips = EmbeddingTestModels.Clips(9, 2, 3, 4, 32, 32);
        using var pooled = encoder.Encode(clips);
        using var plainPooled = plainEncoder.Encode(clips);
        Assert.True(Max(pooled.clone(), plainPooled.clone()) > 1e-4, "the dead zone must change what the network sees");
        using var unit = nn.functional.normalize(pooled, p: 2, dim: 1);
        var (onnx, _) = OnnxParity.Run(encoder.ExportOnnx(), new OnnxParity.Input("clips", clips.shape, clips.data<float>().ToArray()));
        Assert.True(EmbeddingTestModels.MaxAbsDiff(unit.data<float>().ToArray(), onnx) <= 1e-4, $"{EmbeddingTestModels.MaxAbsDiff(unit.data<float>().ToArray(), onnx):E2}");
    }

    [Fact]
    public void A_static_clip_embeds_like_an_all_zero_clip_only_in_difference_mode()
    {
        using var rgbModel = Tiny(InputMode.Rgb, seed: 6);
        using var diffModel = Tiny(InputMode.FrameDifference, seed: 6);
        using var rgb = VideoEncoder.FromModel(rgbModel);
        using var diff = VideoEncoder.FromModel(diffModel);
        using var frame = rand([1, 3, 1, 32, 32], generator: new Generator(7));
        using var still = frame.expand(1, 3, 4, 32, 32).contiguous();                    // four identical frames
        using var zero = zeros_like(still);

        Assert.True(Max(diff.Encode(still), diff.Encode(zero)) < 1e-6, "difference mode must not see appearance");
        Assert.True(Max(rgb.Encode(still), rgb.Encode(zero)) > 1e-3, "RGB mode sees the frame");
        Assert.NotEqual(rgb.Hash, diff.Hash);                                            // same weights, different encoders
    }

    [Fact]
    public void Onnx_export_matches_TorchSharp_in_difference_mode()
    {
        using var model = Tiny(InputMode.FrameDifference, seed: 8);
        using var encoder = VideoEncoder.FromModel(model);
        using var clips = EmbeddingTestModels.Clips(9, 2, 3, 4, 32, 32);
        using var pooled = encoder.Encode(clips);
        using var unit = nn.functional.normalize(pooled, p: 2, dim: 1);
        var (onnx, shape) = OnnxParity.Run(encoder.ExportOnnx(), new OnnxParity.Input("clips", clips.shape, clips.data<float>().ToArray()));
        Assert.Equal(new long[] { 2, encoder.EmbeddingDimension }, shape);
        Assert.True(EmbeddingTestModels.MaxAbsDiff(unit.data<float>().ToArray(), onnx) <= 1e-4, $"{EmbeddingTestModels.MaxAbsDiff(unit.data<float>().ToArray(), onnx):E2}");
    }

    private static ConstClModel Tiny(InputMode mode, long seed, double deadZone = 0) =>
        ConstClModel.Create(ConstClModelOptions.Tiny with { Backbone = ConstClModelOptions.Tiny.Backbone with { InputMode = mode, FrameDifferenceDeadZone = deadZone } }, seed);

    private static double Max(Tensor a, Tensor b)
    {
        using (a)
        using (b)
        using (var diff = (a - b).abs().max())
        {
            return diff.item<float>();
        }
    }
}

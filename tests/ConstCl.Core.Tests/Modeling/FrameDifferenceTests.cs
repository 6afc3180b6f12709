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

    private static ConstClModel Tiny(InputMode mode, long seed) =>
        ConstClModel.Create(ConstClModelOptions.Tiny with { Backbone = ConstClModelOptions.Tiny.Backbone with { InputMode = mode } }, seed);

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

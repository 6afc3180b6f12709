using ConstCl.Embedding;
using ConstCl.Export;
using ConstCl.Modeling;
using ConstCl.Core.Tests.Export;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Embedding;

/// <summary>
/// A <see cref="VideoEncoder"/> stopped at an earlier stage (<see cref="BackboneStage"/>): its embedding is that stage's
/// pooled output, its hash is its own (res5 hashes unchanged), it survives the encoder file, and its ONNX export agrees.
/// </summary>
public sealed class VideoEncoderStageTests
{
    [Fact]
    public void An_earlier_stage_pools_that_stages_output_and_hashes_apart()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 6);
        using var res5 = VideoEncoder.FromModel(model);
        using var atRes5 = VideoEncoder.FromModel(model, BackboneBranch.Global, BackboneStage.Res5);
        using var res3 = VideoEncoder.FromModel(model, BackboneBranch.Global, BackboneStage.Res3);
        using var res2 = VideoEncoder.FromModel(model, BackboneBranch.Global, BackboneStage.Res2);
        using var res3Local = VideoEncoder.FromModel(model, BackboneBranch.Local, BackboneStage.Res3);
        Assert.Equal(BackboneStage.Res5, res5.Stage);
        Assert.Equal(64, res3.EmbeddingDimension);   // Tiny: StageWidths[1] = 16, × 4
        Assert.Equal(32, res2.EmbeddingDimension);

        using var clips = EmbeddingTestModels.Clips(4, 2, 3, 4, 32, 32);
        using var pooled = res3.Encode(clips);
        Assert.Equal(new long[] { 2, 64 }, pooled.shape);
        model.Backbone.eval();
        using (no_grad())
        {
            // By hand: the stem, res2 and res3 modules, then the mean over T′, H′, W′.
            var h = clips.alias();
            foreach (var module in model.Backbone.BranchModules(BackboneBranch.Global).Take(3))
            {
                h = ((nn.Module<Tensor, Tensor>)module).forward(h);
            }

            using var expected = h.mean([2L, 3L, 4L]);
            Assert.True(expected.allclose(pooled, rtol: 1e-5, atol: 1e-6));
        }

        Assert.Equal(res5.Hash, atRes5.Hash);
        Assert.Equal(3, new[] { res5.Hash, res3.Hash, res2.Hash }.Distinct().Count());
        Assert.NotEqual(res3.Hash, res3Local.Hash);   // the branch stays in the key even where it changes nothing
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoEncoder.FromModel(model, BackboneBranch.Global, (BackboneStage)7));
    }

    [Fact]
    public void An_earlier_stage_loads_from_an_encoder_file_and_exports_to_onnx()
    {
        var dir = Path.Combine(Path.GetTempPath(), "constcl-stage-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var model = EmbeddingTestModels.Tiny(seed: 7);
            using var inProcess = VideoEncoder.FromModel(model, BackboneBranch.Global, BackboneStage.Res4);
            var path = Path.Combine(dir, "encoder.constcl");
            inProcess.Save(path);
            using var loaded = VideoEncoder.Load(path, stage: BackboneStage.Res4);
            Assert.Equal(BackboneStage.Res4, loaded.Stage);
            Assert.Equal(inProcess.Hash, loaded.Hash);
            Assert.Throws<ArgumentOutOfRangeException>(() => VideoEncoder.Load(path, stage: (BackboneStage)0));

            using var clips = EmbeddingTestModels.Clips(8, 2, 3, 4, 32, 32);
            var raw = loaded.Encode(clips.data<float>().ToArray(), clips.shape);
            Assert.Equal(inProcess.Encode(clips.data<float>().ToArray(), clips.shape), raw);
            Assert.Equal(2 * 128, raw.Length);

            var onnxBytes = loaded.ExportOnnx(new OnnxExportOptions { L2Normalize = false });
            var (onnx, shape) = OnnxParity.Run(onnxBytes, new OnnxParity.Input("clips", clips.shape, clips.data<float>().ToArray()));
            Assert.Equal(new long[] { 2, 128 }, shape);
            double scale = Math.Max(1, raw.Max(Math.Abs));
            Assert.True(EmbeddingTestModels.MaxAbsDiff(raw, onnx) <= 1e-4 * scale, $"{EmbeddingTestModels.MaxAbsDiff(raw, onnx):E2} (scale {scale})");
            var metadata = Onnx.ModelProto.Parser.ParseFrom(onnxBytes).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal("Res4", metadata["constcl.stage"]);
            Assert.Equal(loaded.Hash, metadata["constcl.encoder_hash"]);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

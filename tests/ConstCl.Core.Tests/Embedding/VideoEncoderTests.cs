using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Export;
using ConstCl.Modeling;
using ConstCl.Core.Tests.Export;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Embedding;

/// <summary>
/// The real <see cref="ResNet3dY"/> (Tiny preset) exported through <see cref="VideoEncoder.ExportOnnx(OnnxExportOptions?)"/> and run by
/// ONNX Runtime equals the TorchSharp encoder within 1e-4: both branches, both padding modes, BN folded and not, both layouts.
/// </summary>
public sealed class VideoEncoderTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<BackboneBranch, ConvPaddingMode, bool> Cases => new()
    {
        { BackboneBranch.Global, ConvPaddingMode.Symmetric, true },
        { BackboneBranch.Local, ConvPaddingMode.Symmetric, true },
        { BackboneBranch.Global, ConvPaddingMode.TensorFlowSame, true },
        { BackboneBranch.Local, ConvPaddingMode.TensorFlowSame, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_export_of_the_real_backbone_matches_TorchSharp(BackboneBranch branch, ConvPaddingMode padding, bool fold)
    {
        using var model = EmbeddingTestModels.Tiny(seed: 3, padding);
        using var encoder = VideoEncoder.FromModel(model, branch);
        using var clips = EmbeddingTestModels.Clips(7, 2, 3, 4, 32, 32);
        using var pooled = encoder.Encode(clips);                                   // [2, 256]
        Assert.Equal(new long[] { 2, encoder.EmbeddingDimension }, pooled.shape);
        var raw = pooled.data<float>().ToArray();
        using var normalized = nn.functional.normalize(pooled, p: 2, dim: 1);
        var unit = normalized.data<float>().ToArray();
        var input = new OnnxParity.Input("clips", clips.shape, clips.data<float>().ToArray());

        var (rawOnnx, rawShape) = OnnxParity.Run(encoder.ExportOnnx(new OnnxExportOptions { FoldBatchNorm = fold, L2Normalize = false }), input);
        Assert.Equal(new long[] { 2, 256 }, rawShape);
        double scale = Math.Max(1, raw.Max(Math.Abs));
        Assert.True(EmbeddingTestModels.MaxAbsDiff(raw, rawOnnx) <= Tolerance * scale, $"raw: {EmbeddingTestModels.MaxAbsDiff(raw, rawOnnx):E2} (scale {scale})");

        var (unitOnnx, _) = OnnxParity.Run(encoder.ExportOnnx(new OnnxExportOptions { FoldBatchNorm = fold }), input);
        Assert.True(EmbeddingTestModels.MaxAbsDiff(unit, unitOnnx) <= Tolerance, $"unit: {EmbeddingTestModels.MaxAbsDiff(unit, unitOnnx):E2}");

        // Flat layout: the two clips of one "video" → mean of raw pooled features → L2 normalise.
        var mean = Enumerable.Range(0, 256).Select(d => (raw[d] + raw[256 + d]) / 2).ToArray();
        double norm = Math.Sqrt(mean.Sum(v => (double)v * v));
        var expectedVideo = mean.Select(v => (float)(v / norm)).ToArray();
        var (flat, flatShape) = OnnxParity.Run(
            encoder.ExportOnnx(new OnnxExportOptions { FoldBatchNorm = fold, InputLayout = OnnxInputLayout.FlatClips }),
            new OnnxParity.Input("clips", [1, input.Floats!.Length], input.Floats),
            new OnnxParity.Input("clip_shape", [5], Longs: clips.shape));
        Assert.Equal(new long[] { 1, 256 }, flatShape);
        Assert.True(EmbeddingTestModels.MaxAbsDiff(expectedVideo, flat) <= Tolerance, $"flat: {EmbeddingTestModels.MaxAbsDiff(expectedVideo, flat):E2}");
    }

    [Theory]
    [InlineData(BackboneBranch.Global, ConvPaddingMode.Symmetric)]
    [InlineData(BackboneBranch.Local, ConvPaddingMode.TensorFlowSame)]
    public void Onnx_export_of_the_small_basic_block_backbone_matches_TorchSharp(BackboneBranch branch, ConvPaddingMode padding)
    {
        // Basic blocks, temporal strides, no stem pool and frame-difference input: every part the Small preset adds.
        var options = ConstClModelOptions.Small with { Backbone = ConstClModelOptions.Small.Backbone with { Padding = padding } };
        using var model = EmbeddingTestModels.Warmed(options, seed: 5);
        using var encoder = VideoEncoder.FromModel(model, branch);
        using var clips = EmbeddingTestModels.Clips(9, 2, 3, 8, 32, 32);
        using var pooled = encoder.Encode(clips);                                   // [2, 128]
        Assert.Equal(new long[] { 2, 128 }, pooled.shape);
        var raw = pooled.data<float>().ToArray();
        var input = new OnnxParity.Input("clips", clips.shape, clips.data<float>().ToArray());
        var (onnx, shape) = OnnxParity.Run(encoder.ExportOnnx(new OnnxExportOptions { L2Normalize = false }), input);
        Assert.Equal(new long[] { 2, 128 }, shape);
        double scale = Math.Max(1, raw.Max(Math.Abs));
        Assert.True(EmbeddingTestModels.MaxAbsDiff(raw, onnx) <= Tolerance * scale, $"{branch}, {padding}: {EmbeddingTestModels.MaxAbsDiff(raw, onnx):E2} (scale {scale})");
    }

    [Fact]
    public void Branches_differ_and_encode_restores_training_mode()
    {
        using var model = EmbeddingTestModels.Tiny(seed: 4);
        model.Backbone.train();
        using var global = VideoEncoder.FromModel(model);
        using var local = VideoEncoder.FromModel(model, BackboneBranch.Local);
        using var clips = EmbeddingTestModels.Clips(8, 1, 3, 4, 32, 32);
        var g = global.Encode(clips.data<float>().ToArray(), clips.shape);
        var l = local.Encode(clips.data<float>().ToArray(), clips.shape);
        Assert.True(model.Backbone.training);
        Assert.True(EmbeddingTestModels.MaxAbsDiff(g, l) > 1e-3);
        Assert.NotEqual(global.Hash, local.Hash);
        Assert.Equal(64, global.Hash.Length);
        Assert.Throws<ArgumentException>(() => global.Encode(zeros(new long[] { 1, 4, 4, 32, 32 })));
    }

    [Fact]
    public void Encoder_file_round_trip_gives_same_outputs_and_hash()
    {
        var dir = Path.Combine(Path.GetTempPath(), "constcl-encfile-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var model = EmbeddingTestModels.Tiny(seed: 5, ConvPaddingMode.TensorFlowSame);
            using var original = VideoEncoder.FromModel(model);
            using var clips = EmbeddingTestModels.Clips(9, 2, 3, 4, 32, 32);
            var expected = original.Encode(clips.data<float>().ToArray(), clips.shape);

            // The options JSON reads back under a strict reader (unknown members disallowed, enums as names), equal field by field.
            var strict = new System.Text.Json.JsonSerializerOptions
            {
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
                Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
            };
            var json = EncoderOptionsJson.Serialize(model.Options);
            var reread = System.Text.Json.JsonSerializer.Deserialize<ConstClModelOptions>(json, strict)!;
            Assert.Equal(json, EncoderOptionsJson.Serialize(reread));
            Assert.Contains("\"TensorFlowSame\"", json, StringComparison.Ordinal);

            var backbonePath = Path.Combine(dir, "backbone.constcl");
            original.Save(backbonePath);
            var wholePath = Path.Combine(dir, "whole.constcl");
            EncoderFile.Save(wholePath, model, EncoderOptionsJson.Serialize(model.Options));   // a whole model's state dict also loads

            foreach (var path in new[] { backbonePath, wholePath })
            {
                using var loaded = VideoEncoder.Load(path);
                Assert.Equal(ConvPaddingMode.TensorFlowSame, loaded.Options.Backbone.Padding);
                Assert.Equal(model.Options.InputFrames, loaded.Options.InputFrames);
                Assert.Equal(expected, loaded.Encode(clips.data<float>().ToArray(), clips.shape));
                Assert.Equal(original.Hash, loaded.Hash);
            }

            var bytes = File.ReadAllBytes(backbonePath);
            bytes[^10] ^= 0xFF;
            File.WriteAllBytes(backbonePath, bytes);
            Assert.Throws<CorruptFileException>(() => VideoEncoder.Load(backbonePath));
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

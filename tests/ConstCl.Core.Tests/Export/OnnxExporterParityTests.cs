using ConstCl.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Export;

/// <summary>
/// The exported model, run by ONNX Runtime, gives TorchSharp's eval-mode embeddings within 1e-4
/// (the issue's acceptance bound) on random clips: BN folded and not, symmetric / explicit asymmetric /
/// TF-'same' padding, batch 1 and 3 through one symbolic-batch model, and the flat ML.NET layout with
/// multi-clip averaging.
/// </summary>
public sealed class OnnxExporterParityTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, bool> Networks => new()
    {
        { "symmetric", true }, { "symmetric", false },
        { "explicit", true }, { "explicit", false },
        { "tfsame", true }, { "tfsame", false },
    };

    [Theory]
    [MemberData(nameof(Networks))]
    public void ClipsLayout_MatchesTorchSharp_ForBatchOneAndThree(string network, bool foldBatchNorm)
    {
        using var net = Build(network, seed: 11);
        var model = OnnxExporter.Export(net, new OnnxExportOptions { FoldBatchNorm = foldBatchNorm });
        using var generator = new Generator(21);

        foreach (var batch in new long[] { 1, 3 })
        {
            using var clips = ExportTestNetworks.RandomClips(generator, batch, 3, 6, 16, 16);
            var expected = ExportTestNetworks.Embed(net, clips);
            var (actual, shape) = OnnxParity.Run(model, new OnnxParity.Input("clips", clips.shape, ExportTestNetworks.Values(clips)));

            Assert.Equal(new[] { batch, ExportTestNetworks.Dimension }, shape);
            Assert.True(
                ExportTestNetworks.MaxAbsDiff(expected, actual) <= Tolerance,
                $"{network}, fold={foldBatchNorm}, batch={batch}: max |ONNX − TorchSharp| = {ExportTestNetworks.MaxAbsDiff(expected, actual):E2}");
        }
    }

    [Fact]
    public void TfSamePadding_MatchesTorchSharp_AtSizesWithOtherPads()
    {
        // One model, two input sizes whose TF pads differ (odd/even T, H, W): SAME_UPPER is computed at run time.
        using var net = ExportTestNetworks.TfSame(seed: 5);
        var model = OnnxExporter.Export(net);
        using var generator = new Generator(6);
        foreach (var size in new[] { new long[] { 2, 3, 5, 13, 11 }, new long[] { 2, 3, 7, 17, 18 } })
        {
            using var clips = ExportTestNetworks.RandomClips(generator, size);
            var expected = ExportTestNetworks.Embed(net, clips);
            var (actual, _) = OnnxParity.Run(model, new OnnxParity.Input("clips", size, ExportTestNetworks.Values(clips)));
            Assert.True(ExportTestNetworks.MaxAbsDiff(expected, actual) <= Tolerance, $"size [{string.Join(", ", size)}]: {ExportTestNetworks.MaxAbsDiff(expected, actual):E2}");
        }
    }

    [Fact]
    public void UnnormalisedFeatures_MatchTorchSharp()
    {
        // Without L2 normalisation the raw pooled features (order 1, not unit vectors) must agree too.
        using var net = ExportTestNetworks.Symmetric(seed: 3);
        var model = OnnxExporter.Export(net, new OnnxExportOptions { L2Normalize = false });
        using var generator = new Generator(4);
        using var clips = ExportTestNetworks.RandomClips(generator, 2, 3, 4, 12, 12);
        var expected = ExportTestNetworks.Embed(net, clips, l2Normalize: false);
        var (actual, _) = OnnxParity.Run(model, new OnnxParity.Input("clips", clips.shape, ExportTestNetworks.Values(clips)));

        Assert.True(expected.Max(Math.Abs) > 0.05, "the reference features should not be near zero");
        Assert.True(ExportTestNetworks.MaxAbsDiff(expected, actual) <= Tolerance, $"{ExportTestNetworks.MaxAbsDiff(expected, actual):E2}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FlatLayout_AveragesClipsThenNormalises_LikeTorchSharp(bool foldBatchNorm)
    {
        using var net = ExportTestNetworks.Symmetric(seed: 8);
        var model = OnnxExporter.Export(net, new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips, FoldBatchNorm = foldBatchNorm });
        using var generator = new Generator(9);

        // K·C = 4 clips of one video, then 1 clip of another size: the same model serves both.
        foreach (var shape in new[] { new long[] { 4, 3, 6, 16, 16 }, new long[] { 1, 3, 4, 12, 20 } })
        {
            using var clips = ExportTestNetworks.RandomClips(generator, shape);
            var expected = ExportTestNetworks.EmbedVideo(net, clips);
            var flat = ExportTestNetworks.Values(clips);
            var (actual, outShape) = OnnxParity.Run(
                model,
                new OnnxParity.Input("clips", [1, flat.Length], flat),
                new OnnxParity.Input("clip_shape", [5], Longs: shape));

            Assert.Equal(new[] { 1L, ExportTestNetworks.Dimension }, outShape);
            Assert.Equal(1.0, Math.Sqrt(actual.Sum(v => (double)v * v)), 5);
            Assert.True(ExportTestNetworks.MaxAbsDiff(expected, actual) <= Tolerance, $"shape [{string.Join(", ", shape)}]: {ExportTestNetworks.MaxAbsDiff(expected, actual):E2}");
        }
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0f)]
    public void FlatLayout_StandardisesThenWeights_AsAVector(float weight)
    {
        // What a saved ML.NET model needs, as export options (no protobuf editing downstream): (e − mean) · scale, times a
        // clip weight (0: the zero vector of a skipped video), declared [D].
        using var net = ExportTestNetworks.Symmetric(seed: 8);
        var d = (int)ExportTestNetworks.Dimension;
        var mean = Enumerable.Range(0, d).Select(j => 0.01f * j).ToArray();
        var scale = Enumerable.Range(0, d).Select(j => 1f + (0.5f * j)).ToArray();
        var model = OnnxExporter.Export(net, new OnnxExportOptions
        {
            InputLayout = OnnxInputLayout.FlatClips, ClipWeightInputName = "w", OutputMean = mean, OutputScale = scale, VectorOutput = true,
        });
        using var generator = new Generator(11);
        using var clips = ExportTestNetworks.RandomClips(generator, 2, 3, 6, 16, 16);
        var flat = ExportTestNetworks.Values(clips);
        var (actual, outShape) = OnnxParity.Run(
            model,
            new OnnxParity.Input("clips", [1, flat.Length], flat),
            new OnnxParity.Input("clip_shape", [5], Longs: clips.shape),
            new OnnxParity.Input("w", [1], [weight]));

        var expected = ExportTestNetworks.EmbedVideo(net, clips).Select((e, j) => (e - mean[j]) * scale[j] * weight).ToArray();
        Assert.Equal(new[] { (long)d }, outShape);
        Assert.True(ExportTestNetworks.MaxAbsDiff(expected, actual) <= Tolerance * 20, $"{ExportTestNetworks.MaxAbsDiff(expected, actual):E2}");
    }

    [Fact]
    public void GraphOptionsOfTheFlatLayout_AreRefusedElsewhere_AndStandardisationGoesInPairs()
    {
        Assert.Throws<ArgumentException>(() => new OnnxExportOptions { ClipWeightInputName = "w" }.Validate());
        Assert.Throws<ArgumentException>(() => new OnnxExportOptions { VectorOutput = true }.Validate());
        Assert.Throws<ArgumentException>(() => new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips, OutputMean = [0f] }.Validate());
        Assert.Throws<ArgumentException>(() => new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips, OutputMean = [0f], OutputScale = [1f, 2f] }.Validate());
        Assert.Throws<ArgumentException>(() => new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips, ClipWeightInputName = "clips" }.Validate());
        new OnnxExportOptions { OutputMean = [0f], OutputScale = [1f] }.Validate();   // the 5-D layout may standardise too
    }

    [Fact]
    public void FlatLayout_DiffersFromAveragingNormalisedClips()
    {
        // Guards the order "mean over clips, then normalise": normalising each clip first gives another vector.
        using var net = ExportTestNetworks.Symmetric(seed: 8);
        var model = OnnxExporter.Export(net, new OnnxExportOptions { InputLayout = OnnxInputLayout.FlatClips });
        using var generator = new Generator(10);
        using var clips = ExportTestNetworks.RandomClips(generator, 3, 3, 6, 16, 16);
        var flat = ExportTestNetworks.Values(clips);
        var (actual, _) = OnnxParity.Run(
            model, new OnnxParity.Input("clips", [1, flat.Length], flat), new OnnxParity.Input("clip_shape", [5], Longs: clips.shape));

        var perClip = ExportTestNetworks.Embed(net, clips);                         // [3, D], each unit norm
        var d = (int)ExportTestNetworks.Dimension;
        var meanOfNormalised = Enumerable.Range(0, d).Select(j => (perClip[j] + perClip[d + j] + perClip[(2 * d) + j]) / 3f).ToArray();
        var norm = (float)Math.Sqrt(meanOfNormalised.Sum(v => (double)v * v));
        var alternative = meanOfNormalised.Select(v => v / norm).ToArray();
        Assert.True(ExportTestNetworks.MaxAbsDiff(alternative, actual) > 1e-3);
        Assert.Equal(ExportTestNetworks.EmbedVideo(net, clips), actual, new ToleranceComparer(Tolerance));
    }

    [Fact]
    public void InputScaling_MapsPixelValuesToModelRange()
    {
        // Export with x·(2/255) − 1 in the graph; feed 0..255 values; expect TorchSharp on the [-1, 1] clip.
        using var net = ExportTestNetworks.Symmetric(seed: 12);
        var model = OnnxExporter.Export(net, new OnnxExportOptions { InputScale = 2f / 255f, InputOffset = -1f });
        using var generator = new Generator(13);
        using var pixels = torch.randint(0, 256, [2, 3, 4, 12, 12], generator: generator).to_type(ScalarType.Float32);
        using var scaled = pixels.mul(2f / 255f).sub(1f);
        var expected = ExportTestNetworks.Embed(net, scaled);
        var (actual, _) = OnnxParity.Run(model, new OnnxParity.Input("clips", pixels.shape, ExportTestNetworks.Values(pixels)));
        Assert.True(ExportTestNetworks.MaxAbsDiff(expected, actual) <= Tolerance, $"{ExportTestNetworks.MaxAbsDiff(expected, actual):E2}");
    }

    [Fact]
    public void ExportToFile_WritesLoadableModelAtomically()
    {
        using var net = ExportTestNetworks.Symmetric(seed: 14);
        var folder = Path.Combine(Path.GetTempPath(), "constcl-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "nested", "encoder.onnx");
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(folder, "nested")).FullName, "encoder.onnx"), "stale");
            OnnxExporter.ExportToFile(net, path);

            Assert.Equal(OnnxExporter.Export(net), File.ReadAllBytes(path));           // replaced, deterministic bytes
            Assert.Empty(Directory.GetFiles(Path.Combine(folder, "nested"), "*.tmp"));
            using var generator = new Generator(15);
            using var clips = ExportTestNetworks.RandomClips(generator, 1, 3, 4, 12, 12);
            var (actual, _) = OnnxParity.RunFile(path, new OnnxParity.Input("clips", clips.shape, ExportTestNetworks.Values(clips)));
            Assert.True(ExportTestNetworks.MaxAbsDiff(ExportTestNetworks.Embed(net, clips), actual) <= Tolerance);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void EvalNetwork_StatisticsWereWarmed_SoFoldingIsExercised()
    {
        // The parity tests mean something only if BN is far from identity: running stats moved, γ random.
        using var net = ExportTestNetworks.Symmetric(seed: 11);
        var bn = (BatchNorm3d)net.named_children().First(c => c.name == "stem_bn").module;
        Assert.True(bn.running_mean!.abs().max().item<float>() > 0.01f);
        Assert.True(bn.running_var!.sub(1).abs().max().item<float>() > 0.05f);
    }

    private static Sequential Build(string network, long seed) => network switch
    {
        "symmetric" => ExportTestNetworks.Symmetric(seed),
        "explicit" => ExportTestNetworks.ExplicitPads(seed),
        "tfsame" => ExportTestNetworks.TfSame(seed),
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "unknown test network"),
    };

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}

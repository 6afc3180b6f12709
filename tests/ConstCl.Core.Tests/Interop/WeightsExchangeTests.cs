using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Interop;
using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Interop;

/// <summary>
/// Weights exchanged with PyTorch: TestData/interop/micro_*.safetensors were written by PyTorch (Debian's python3-torch
/// 1.13) with the reference modules of bench/pytorch/constcl_reference.py by the checked-in make_weights_golden.py;
/// ConstCl must read them into its own network and compute PyTorch's outputs, and write them back tensor for tensor.
/// </summary>
public sealed class WeightsExchangeTests : IDisposable
{
    /// <summary>The network of make_weights_golden.py (every module kind, an identity and a projection shortcut, tiny).</summary>
    internal static readonly ConstClModelOptions Micro = new()
    {
        Backbone = new ResNet3dYOptions
        {
            StemChannels = 4,
            StageWidths = [4, 4, 4, 4],
            StageBlocks = [2, 1, 1, 1],
            TemporalKernels = [[1, 1], [1], [3], [3]],
        },
        GlobalHead = new GlobalHeadOptions { HiddenChannels = 8, OutputChannels = 4 },
        LocalHead = new LocalHeadOptions { ContextLength = 3, Width = 4 },
        InputFrames = 8,
        InputSize = 32,
    };

    private static readonly string Golden = Path.Combine(AppContext.BaseDirectory, "TestData", "interop");
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-weights-").FullName;

    public WeightsExchangeTests() => TorchRuntime.Initialize(2);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void APyTorchStateDictLoadsIntoTheModelAndGivesPyTorchsOutputs()
    {
        using var model = ConstClModel.Create(Micro, seed: 3);
        Assert.Equal(WeightsContent.Model, WeightsExchange.ImportInto(model, Path.Combine(Golden, "micro_model.safetensors")));
        using var expected = SafetensorsFile.Read(Path.Combine(Golden, "micro_expected.safetensors"));
        model.eval();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var clips = expected.Tensors["input"];
        var (res5, res5Local) = model.Backbone.forward(clips);
        var pooled = res5.mean([2, 3, 4]);
        AssertClose(expected.Tensors["res5_pooled"], pooled, "res5");
        AssertClose(expected.Tensors["res5_local_pooled"], res5Local.mean([2, 3, 4]), "res5_local");
        AssertClose(expected.Tensors["global_projection"], model.GlobalHead.forward(res5), "global projection");
    }

    [Fact]
    public void AnEncoderImportedFromPyTorchWeightsEmbedsLikePyTorch()
    {
        using var encoder = WeightsExchange.ImportEncoder(Path.Combine(Golden, "micro_model.safetensors"), Micro);
        using var expected = SafetensorsFile.Read(Path.Combine(Golden, "micro_expected.safetensors"));
        using var embedding = encoder.Encode(expected.Tensors["input"]);
        AssertClose(expected.Tensors["res5_pooled"], embedding, "encoder");
    }

    [Fact]
    public void ExportingTheImportedModelWritesPyTorchsTensorsBackUnchanged()
    {
        var source = Path.Combine(Golden, "micro_model.safetensors");
        using var model = ConstClModel.Create(Micro, seed: 3);
        WeightsExchange.ImportInto(model, source);
        var written = Path.Combine(_dir, "model.safetensors");
        WeightsExchange.ExportModel(model, written);

        using var original = SafetensorsFile.Read(source);
        using var again = SafetensorsFile.Read(written);
        Assert.Equal(original.Tensors.Keys.Order(StringComparer.Ordinal), again.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, tensor) in original.Tensors)
        {
            Assert.True(tensor.dtype == again.Tensors[name].dtype, $"{name}: {tensor.dtype} vs {again.Tensors[name].dtype}");
            Assert.True(tensor.eq(again.Tensors[name]).all().item<bool>(), $"{name} changed on the way through ConstCl");
        }

        Assert.Equal("model", again.Metadata[WeightsExchange.ContentKey]);
        if (Environment.GetEnvironmentVariable("CONSTCL_KEEP_EXPORT") is { Length: > 0 } keep)
        {
            // For make_weights_golden.py --check: PyTorch loads ConstCl's file with strict=True (run by hand, see the script).
            File.Copy(written, keep, overwrite: true);
        }

        Assert.Equal(EncoderOptionsJson.Serialize(Micro), EncoderOptionsJson.Serialize(WeightsExchange.ReadModelOptions(written)));
    }

    [Fact]
    public void AnEncoderRoundTripsWithItsOptionsAndHash()
    {
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 5);
        using var encoder = VideoEncoder.FromModel(model);
        var path = Path.Combine(_dir, "encoder.safetensors");
        WeightsExchange.ExportEncoder(encoder, path);

        using var back = WeightsExchange.ImportEncoder(path);
        Assert.Equal(EncoderOptionsJson.Serialize(ConstClModelOptions.Tiny), EncoderOptionsJson.Serialize(back.Options));
        Assert.Equal(encoder.Hash, back.Hash);
        using var contents = SafetensorsFile.Read(path);
        Assert.All(contents.Tensors.Keys, k => Assert.StartsWith("backbone.", k, StringComparison.Ordinal));
        Assert.Contains("backbone.res5_local.0.expand_bn.running_var", contents.Tensors.Keys);
    }

    [Fact]
    public void AnEncoderFileFillsOnlyTheBackboneOfAModel()
    {
        using var source = ConstClModel.Create(Micro, seed: 3);
        using var encoder = VideoEncoder.FromModel(source);
        var path = Path.Combine(_dir, "encoder.safetensors");
        WeightsExchange.ExportEncoder(encoder, path);

        using var target = ConstClModel.Create(Micro, seed: 4);
        using var headBefore = target.GlobalHead.state_dict()["mlp.output.weight"].clone();
        Assert.Equal(WeightsContent.Encoder, WeightsExchange.ImportInto(target, path));
        Assert.True(target.Backbone.state_dict()["res4.0.temporal_conv.weight"].eq(source.Backbone.state_dict()["res4.0.temporal_conv.weight"]).all().item<bool>());
        Assert.True(target.GlobalHead.state_dict()["mlp.output.weight"].eq(headBefore).all().item<bool>());
    }

    [Fact]
    public void AFileWithoutOptionsNeedsTheNetworkNamed()
    {
        var ex = Assert.Throws<InvalidDataException>(() => WeightsExchange.ImportEncoder(Path.Combine(Golden, "micro_model.safetensors")));
        Assert.Contains(WeightsExchange.ModelOptionsKey, ex.Message);
        Assert.Contains("--preset", ex.Message);
    }

    [Fact]
    public void WeightsOfAnotherNetworkAreRefusedNamingTheTensors()
    {
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 1);
        var ex = Assert.Throws<InvalidDataException>(() => WeightsExchange.ImportInto(model, Path.Combine(Golden, "micro_model.safetensors")));
        Assert.Contains("micro_model.safetensors", ex.Message);
        Assert.Contains("'backbone.stem.conv.weight' is Float32[4,3,5,7,7], the network has Float32[8,3,5,7,7]", ex.Message);
        Assert.Contains("more.", ex.Message);
    }

    [Fact]
    public void NonFiniteWeightsAreRefusedAndTheModelIsLeftAlone()
    {
        using var model = ConstClModel.Create(Micro, seed: 3);
        var path = Path.Combine(_dir, "nan.safetensors");
        WeightsExchange.ExportModel(model, path);
        using (var contents = SafetensorsFile.Read(path))
        {
            contents.Tensors["global_head.mlp.output.bias"][1] = float.NaN;
            SafetensorsFile.Write(path, contents.Tensors.ToList());
        }

        using var target = ConstClModel.Create(Micro, seed: 4);
        using var before = target.Backbone.state_dict()["stem.conv.weight"].clone();
        var ex = Assert.Throws<InvalidDataException>(() => WeightsExchange.ImportInto(target, path));
        Assert.Contains("'global_head.mlp.output.bias' holds NaN or infinite values", ex.Message);
        Assert.True(target.Backbone.state_dict()["stem.conv.weight"].eq(before).all().item<bool>(), "nothing may be copied when a check fails");
    }

    [Fact]
    public void HalfPrecisionWeightsAreConvertedToTheNetworksFloat32()
    {
        using var model = ConstClModel.Create(Micro, seed: 3);
        var half = Path.Combine(_dir, "half.safetensors");
        SafetensorsFile.Write(half, model.state_dict()
            .Select(kv => KeyValuePair.Create(kv.Key, kv.Value.dtype == ScalarType.Float32 ? kv.Value.to(ScalarType.BFloat16) : kv.Value))
            .ToList());
        using var target = ConstClModel.Create(Micro, seed: 4);
        WeightsExchange.ImportInto(target, half);
        var w = target.Backbone.state_dict()["stem.conv.weight"];
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.True(w.allclose(model.Backbone.state_dict()["stem.conv.weight"], rtol: 1e-2, atol: 1e-3));
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<float>();
        var scale = expected.abs().max().item<float>();
        Assert.True(difference <= 1e-4f * Math.Max(1f, scale), $"{what}: max |ConstCl - PyTorch| = {difference} (scale {scale})");
    }
}

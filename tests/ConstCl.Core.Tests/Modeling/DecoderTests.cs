using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Modeling;

public class DecoderTests
{
    public DecoderTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void OfficialUnitTestShapes()
    {
        // Spec §3.7 / §8.4 (transformer_decoder_test.py): memory of 512 tokens × 256 channels, queries [16, 128, 256].
        using var g = new Generator(1);
        using var q = randn([16, 128, 256], generator: g);
        using var memory = randn([16, 512, 256], generator: g);
        using var unit = DecoderUnit.Create(256, 256, 128, 1e-12, g);
        var (hidden, attention) = unit.ForwardWithAttention(q, memory);
        Assert.Equal(new long[] { 16, 128, 128 }, hidden.shape);
        Assert.Equal(new long[] { 16, 128, 512 }, attention.shape);
        Assert.True(attention.sum(-1).allclose(ones(16, 128), rtol: 1e-4, atol: 1e-5));
        hidden.Dispose();
        attention.Dispose();

        using var layer = DecoderLayer.Create(256, 256, 3, 128, 1e-12, g);
        using var y = layer.forward(q, memory);
        Assert.Equal(new long[] { 16, 128, 384 }, y.shape);
    }

    [Fact]
    public void FiveLayerDecoderProjectsBackToTheOutputWidth()
    {
        using var g = new Generator(2);
        using var decoder = ContextTransformerDecoder.Create(new LocalHeadOptions { Layers = 5, Width = 8, Heads = 3 }, 32, 40, 32, g);
        using var q = randn([2, 6, 32], generator: g);
        using var m = randn([2, 20, 40], generator: g);
        using var z = decoder.forward(q, m);
        Assert.Equal(new long[] { 2, 6, 32 }, z.shape);
        Assert.Equal(5, decoder.named_children().Single(c => c.name == "layers").module.children().Count());
    }

    [Fact]
    public void UnitMatchesItsFormulaComputedByHand()
    {
        // h = LN(softmax(q kᵀ/√w) v + q) with q the PROJECTED query; out = W2·GELU_erf(W1·h + b1) + b2, no FFN residual.
        using var g = new Generator(3);
        const int Din = 6, Dm = 5, Width = 4;
        using var unit = DecoderUnit.Create(Din, Dm, Width, 1e-12, g);
        using var x = randn([2, 3, Din], generator: g);
        using var mem = randn([2, 7, Dm], generator: g);
        using var actual = unit.forward(x, mem);

        var p = unit.named_parameters().ToDictionary(t => t.name, t => t.parameter.to(ScalarType.Float64));
        var xd = x.to(ScalarType.Float64);
        var md = mem.to(ScalarType.Float64);
        var q = xd.matmul(p["query.weight"].t()) + p["query.bias"];
        var k = md.matmul(p["key.weight"].t()) + p["key.bias"];
        var v = md.matmul(p["value.weight"].t()) + p["value.bias"];
        var logits = q.matmul(k.transpose(1, 2)) / Math.Sqrt(Width);
        var e = (logits - logits.amax([-1], keepdim: true)).exp();
        var h = (e / e.sum(-1, keepdim: true)).matmul(v) + q;
        var mean = h.mean([-1], keepdim: true);
        var variance = (h - mean).square().mean([-1], keepdim: true);
        h = (h - mean) / (variance + 1e-12).sqrt() * p["layer_norm.weight"] + p["layer_norm.bias"];
        var a = h.matmul(p["ffn_hidden.weight"].t()) + p["ffn_hidden.bias"];
        a = 0.5 * a * (1 + (a / Math.Sqrt(2)).erf());
        var expected = a.matmul(p["ffn_output.weight"].t()) + p["ffn_output.bias"];
        Assert.True(actual.to(ScalarType.Float64).allclose(expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void OfficialMlpTestParameterCountAndShape()
    {
        // Spec §2.1 / §8.4 (simple_test.py): 3 hidden layers of 128, output 56, input 512 → 106,296 params, output [2, 56].
        using var g = new Generator(4);
        using var head = GlobalProjectionHead.Create(new GlobalHeadOptions { HiddenChannels = 128, OutputChannels = 56 }, 512, g);
        Assert.Equal(106_296, head.parameters().Sum(p => p.numel()));
        using var x = randn([2, 512, 1, 2, 2], generator: g);
        using var y = head.forward(x);
        Assert.Equal(new long[] { 2, 56 }, y.shape);
    }
}

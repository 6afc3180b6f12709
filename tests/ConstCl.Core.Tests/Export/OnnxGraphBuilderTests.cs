using ConstCl.Export;
using ConstCl.Runtime;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Export;

/// <summary>Node helpers of <see cref="OnnxGraphBuilder"/> against TorchSharp and closed forms.</summary>
public sealed class OnnxGraphBuilderTests
{
    public OnnxGraphBuilderTests() => TorchRuntime.Initialize(2);

    [Fact]
    public void L2Normalize_MatchesFNormalize_AndKeepsZeroRowsZero()
    {
        var b = new OnnxGraphBuilder("l2");
        var x = b.AddInput("x", TensorProto.Types.DataType.Float, OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(4));
        b.AddOutput(b.L2Normalize(x), "y", TensorProto.Types.DataType.Float, OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(4));
        float[] data = [3, 4, 0, 0, 0, 0, 0, 0, 1e-20f, 0, 0, 0, -1, 2, -2, 4];     // a zero row and a tiny one

        var (actual, _) = OnnxParity.Run(b.Build().ToByteArray(), new OnnxParity.Input("x", [4, 4], data));

        using var t = torch.tensor(data).reshape(4, 4);
        using var expected = nn.functional.normalize(t, p: 2, dim: 1, eps: 1e-12);
        Assert.Equal(ExportTestNetworks.Values(expected), actual);               // exact: same formula x / max(‖x‖, eps)
        Assert.Equal([0.6f, 0.8f, 0f, 0f], actual[..4]);
        Assert.All(actual[4..8], v => Assert.Equal(0f, v));                      // zero vector stays zero, no NaN
    }

    [Fact]
    public void FoldBatchNorm_EqualsConvThenBatchNorm_InTorchSharp()
    {
        using var generator = new Generator(7);
        using var conv = nn.Conv3d(3, 5, (3, 3, 3), padding: (1, 1, 1), bias: true);
        using var bn = nn.BatchNorm3d(5, eps: 1e-3);
        using (torch.no_grad())
        {
            conv.weight.copy_(torch.randn(conv.weight.shape, generator: generator));
            conv.bias!.copy_(torch.randn(5, generator: generator));
            bn.weight!.copy_(torch.rand(5, generator: generator).add(0.5));
            bn.bias!.copy_(torch.randn(5, generator: generator));
            bn.running_mean!.copy_(torch.randn(5, generator: generator));
            bn.running_var!.copy_(torch.rand(5, generator: generator).add(0.1));
        }

        bn.eval();
        using var x = torch.randn([2, 3, 4, 6, 6], generator: generator);
        using var noGrad = torch.no_grad();
        using var reference = bn.forward(conv.forward(x));
        var (w, bias) = OnnxGraphBuilder.FoldBatchNorm(conv.weight, conv.bias, BatchNormParameters.FromModule(bn));
        using (w)
        using (bias)
        using (var folded = nn.functional.conv3d(x, w, bias, padding: [1, 1, 1]))
        {
            Assert.Equal(conv.weight.shape, w.shape);
            Assert.True(folded.sub(reference).abs().max().item<float>() < 1e-4f);
            Assert.True(reference.abs().max().item<float>() > 1f);                // a non-trivial reference
        }
    }

    [Fact]
    public void FoldBatchNorm_WithoutConvBias_UsesMinusMeanTimesScalePlusShift()
    {
        // Closed form for a 1×1×1 identity-weight conv: b' = (0 − μ)·γ/√(σ²+ε) + β.
        using var weight = torch.ones([1, 1, 1, 1, 1]);
        var bn = new BatchNormParameters(torch.tensor(new[] { 2f }), torch.tensor(new[] { 3f }), torch.tensor(new[] { 4f }), torch.tensor(new[] { 0.5f }), 1.0);
        var (w, b) = OnnxGraphBuilder.FoldBatchNorm(weight, null, bn);
        using (w)
        using (b)
        {
            Assert.Equal(2f, w.item<float>(), 6);                                 // 4/√4
            Assert.Equal(-3.5f, b.item<float>(), 6);                              // −2·2 + 0.5
        }
    }

    [Fact]
    public void FoldBatchNorm_RejectsMismatchedChannels()
    {
        using var weight = torch.ones([3, 2, 1, 1, 1]);
        var bn = new BatchNormParameters(torch.zeros(4), torch.ones(4), null, null, 1e-5);
        var ex = Assert.Throws<ArgumentException>(() => OnnxGraphBuilder.FoldBatchNorm(weight, null, bn));
        Assert.Contains("C_out=4", ex.Message);
    }

    [Fact]
    public void Initializers_AreLittleEndianFloat32RawData()
    {
        var b = new OnnxGraphBuilder("init");
        using var t = torch.tensor(new[] { 1f, -2.5f }, dtype: ScalarType.Float64);   // converted to float32
        var name = b.AddInitializer("w", t);
        var x = b.AddInput("x", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(2));
        b.AddOutput(b.Add(x, name), "y", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(2));
        var init = b.Build().Graph.Initializer.Single();

        Assert.Equal("w_0", init.Name);
        Assert.Equal((int)TensorProto.Types.DataType.Float, init.DataType);
        Assert.Equal([2L], init.Dims);
        Assert.Equal(new byte[] { 0, 0, 0x80, 0x3F, 0, 0, 0x20, 0xC0 }, init.RawData.ToByteArray());  // IEEE-754 LE
    }

    [Fact]
    public void Names_AreDeterministic_AndDuplicatesRejected()
    {
        var b = new OnnxGraphBuilder("names");
        Assert.Equal("conv_0", b.UniqueName("conv"));
        Assert.Equal("conv_1", b.UniqueName("conv"));
        Assert.Equal("relu_0", b.UniqueName("relu"));
        b.AddInput("x", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1));
        Assert.Throws<ArgumentException>(() => b.AddInput("x", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1)));
        Assert.Throws<InvalidOperationException>(() => new OnnxGraphBuilder("empty").Build());
        b.AddOutput("x", "y", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1));
        var model = b.Build();
        Assert.Equal("y", model.Graph.Output.Single().Name);
        Assert.Throws<InvalidOperationException>(() => b.Relu("x"));             // the graph was handed over
        Assert.Throws<InvalidOperationException>(() => b.Build());
    }

    [Fact]
    public void TorchPadOrder_ConvertsToOnnxBeginsThenEnds()
    {
        // F.pad (w0, w1, h0, h1, t0, t1) on [N, C, T, H, W] → ONNX [N0, C0, t0, h0, w0, N1, C1, t1, h1, w1].
        Assert.Equal([0L, 0, 5, 3, 1, 0, 0, 6, 4, 2], OnnxPadLayer.ToOnnxPads([1, 2, 3, 4, 5, 6], rank: 5));
        Assert.Equal([0L, 0, 0, 0, 1, 0, 0, 0, 0, 2], OnnxPadLayer.ToOnnxPads([1, 2], rank: 5));
        Assert.Throws<ArgumentException>(() => OnnxPadLayer.ToOnnxPads([1, 2, 3], rank: 5));
    }

    [Fact]
    public void MaxPool_PadsActAsMinusInfinity_OnNegativeInputs()
    {
        // All-negative input: a zero-padded pool would return 0 at the border; −∞ semantics returns the input max.
        var b = new OnnxGraphBuilder("pool");
        var x = b.AddInput("x", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(1), OnnxDimension.Fixed(1), OnnxDimension.Fixed(2), OnnxDimension.Fixed(2));
        var y = b.MaxPool(x, [1, 3, 3], [1, 2, 2], [0, 1, 1, 0, 1, 1]);
        b.AddOutput(y, "y", TensorProto.Types.DataType.Float, OnnxDimension.Fixed(1), OnnxDimension.Fixed(1), OnnxDimension.Fixed(1), OnnxDimension.Fixed(1), OnnxDimension.Fixed(1));
        var (actual, _) = OnnxParity.Run(b.Build().ToByteArray(), new OnnxParity.Input("x", [1, 1, 1, 2, 2], [-4f, -3f, -2f, -1f]));
        Assert.Equal([-1f], actual);
    }
}

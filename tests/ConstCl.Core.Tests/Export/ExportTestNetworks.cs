using ConstCl.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Export;

/// <summary>
/// Small R3D-style encoders (stem conv-BN-ReLU-maxpool, a projection bottleneck with spatial stride 2 and
/// temporal kernel 3, an identity bottleneck) with random weights from an explicit generator and batch-norm
/// running statistics moved away from (0, 1) by a few training-mode forwards; and their TorchSharp
/// reference embedding (eval forward → global average pool → F.normalize).
/// </summary>
internal static class ExportTestNetworks
{
    /// <summary>Embedding width of every network here (4 · bottleneck width 4).</summary>
    public const long Dimension = 16;

    /// <summary>Symmetric k//2 padding everywhere (PyTorch style), built from plain modules in a Sequential.</summary>
    public static Sequential Symmetric(long seed)
    {
        TorchRuntime.Initialize(2);
        var net = nn.Sequential(
            ("stem_conv", nn.Conv3d(3, 8, (3, 5, 5), stride: (1, 2, 2), padding: (1, 2, 2), bias: false)),
            ("stem_bn", nn.BatchNorm3d(8)),
            ("stem_relu", nn.ReLU()),
            ("stem_pool", nn.MaxPool3d((1, 3, 3), stride: (1, 2, 2), padding: (0, 1, 1))),
            ("res2_0", new TestBottleneck(8, 4, temporalKernel: 3, spatialStride: 2)),
            ("res2_1", new TestBottleneck(16, 4, temporalKernel: 1, spatialStride: 1)));
        return Prepare(net, seed);
    }

    /// <summary>
    /// Fixed asymmetric pads done by explicit ConstantPad3d modules (zeros before the conv, −∞ before the
    /// max-pool), a different pad on every side so a mixed-up axis order cannot pass.
    /// </summary>
    public static Sequential ExplicitPads(long seed)
    {
        TorchRuntime.Initialize(2);
        var net = nn.Sequential(
            ("stem_pad", nn.ConstantPad3d((2, 1, 1, 2, 0, 1), 0.0)),                  // (w0, w1, h0, h1, t0, t1)
            ("stem_conv", nn.Conv3d(3, 8, (3, 5, 5), stride: (2, 2, 2), bias: true)),
            ("stem_bn", nn.BatchNorm3d(8)),
            ("stem_relu", nn.ReLU()),
            ("pool_pad", nn.ConstantPad3d((0, 1, 1, 0, 0, 0), double.NegativeInfinity)),
            ("stem_pool", nn.MaxPool3d((1, 3, 3), stride: (1, 2, 2))),
            ("res2_0", new TestBottleneck(8, 4, temporalKernel: 3, spatialStride: 2)),
            ("res2_1", new TestBottleneck(16, 4, temporalKernel: 1, spatialStride: 1)));
        return Prepare(net, seed);
    }

    /// <summary>TensorFlow 'same' stem whose pads depend on the input size (computed in forward).</summary>
    public static Sequential TfSame(long seed)
    {
        TorchRuntime.Initialize(2);
        var net = nn.Sequential(
            ("stem", new TfSameStem(3, 8, (3, 5, 5), (2, 2, 2))),
            ("res2_0", new TestBottleneck(8, 4, temporalKernel: 3, spatialStride: 2)),
            ("res2_1", new TestBottleneck(16, 4, temporalKernel: 1, spatialStride: 1)));
        return Prepare(net, seed);
    }

    /// <summary>Reference embedding <c>[N, D]</c>: eval forward, mean over (T, H, W), optional F.normalize.</summary>
    public static float[] Embed(nn.Module<Tensor, Tensor> net, Tensor clips, bool l2Normalize = true)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var features = net.forward(clips).mean([2, 3, 4]);                       // [N, D]
        if (l2Normalize)
        {
            features = nn.functional.normalize(features, p: 2, dim: 1, eps: 1e-12);
        }

        return features.contiguous().data<float>().ToArray();
    }

    /// <summary>The video-level reference of the flat layout: mean of the K·C clip features, then F.normalize → <c>[1, D]</c>.</summary>
    public static float[] EmbedVideo(nn.Module<Tensor, Tensor> net, Tensor clips)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var features = net.forward(clips).mean([2, 3, 4]).mean([0], keepdim: true);   // [1, D]
        return nn.functional.normalize(features, p: 2, dim: 1, eps: 1e-12).contiguous().data<float>().ToArray();
    }

    /// <summary>A random clip batch <c>[N, 3, T, H, W]</c> from <paramref name="generator"/>.</summary>
    public static Tensor RandomClips(Generator generator, params long[] shape) => torch.randn(shape, generator: generator);

    /// <summary>Copies a tensor's values out (row-major).</summary>
    public static float[] Values(Tensor t) => t.contiguous().data<float>().ToArray();

    /// <summary>Largest absolute element-wise difference (arrays must have equal length).</summary>
    public static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)a[i] - b[i]));
        }

        return max;
    }

    private static Sequential Prepare(Sequential net, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed));
        Randomize(net, generator);
        WarmBatchNorm(net, generator);
        net.eval();
        return net;
    }

    /// <summary>He-normal conv weights, γ ∈ [0.5, 1.5), small β and biases — all from the generator.</summary>
    private static void Randomize(nn.Module net, Generator generator)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, p) in net.named_parameters())
        {
            using var scope = torch.NewDisposeScope();
            if (p.dim() > 1)
            {
                var fanIn = p.numel() / p.shape[0];
                p.copy_(torch.randn(p.shape, generator: generator).mul(Math.Sqrt(2.0 / fanIn)));
            }
            else if (name.EndsWith("weight", StringComparison.Ordinal))
            {
                p.copy_(torch.rand(p.shape, generator: generator).add(0.5));
            }
            else
            {
                p.copy_(torch.randn(p.shape, generator: generator).mul(0.1));
            }
        }
    }

    /// <summary>Moves every BN's running mean/var away from (0, 1): a few training-mode forwards on shifted, scaled noise.</summary>
    private static void WarmBatchNorm(nn.Module<Tensor, Tensor> net, Generator generator)
    {
        net.train();
        using var noGrad = torch.no_grad();
        for (var step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn([3, 3, 4, 12, 12], generator: generator).mul(1.5).add(0.3);
            net.forward(x);
        }
    }
}

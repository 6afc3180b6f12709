using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Embedding;

/// <summary>Tiny ConST-CL models with non-trivial batch-norm affine parameters and running statistics.</summary>
internal static class EmbeddingTestModels
{
    /// <summary>A Tiny model (optionally TF-'same' padded) whose BN γ, β are random and running stats moved by two train-mode forwards.</summary>
    public static ConstClModel Tiny(long seed, ConvPaddingMode padding = ConvPaddingMode.Symmetric) =>
        Warmed(ConstClModelOptions.Tiny with { Backbone = ConstClModelOptions.Tiny.Backbone with { Padding = padding } }, seed);

    /// <summary>Any preset's model with random BN γ, β and running stats moved by two train-mode forwards.</summary>
    public static ConstClModel Warmed(ConstClModelOptions options, long seed)
    {
        TorchRuntime.Initialize(2);
        var model = ConstClModel.Create(options, seed);
        using var generator = new Generator((ulong)seed + 1000);
        using (no_grad())
        {
            foreach (var (_, module) in model.Backbone.named_modules())
            {
                if (module is BatchNorm bn)
                {
                    bn.weight!.copy_(rand(bn.weight.shape, generator: generator) + 0.5);
                    bn.bias!.copy_(randn(bn.bias.shape, generator: generator) * 0.1);
                }
            }

            model.Backbone.train();
            for (int i = 0; i < 2; i++)
            {
                using var x = randn([2, 3, 4, 32, 32], generator: generator);
                model.Backbone.forward(x).Dispose();
            }

            model.Backbone.eval();
        }

        return model;
    }

    /// <summary>Uniform values in [−1, 1), the pre-training range.</summary>
    public static Tensor Clips(long seed, params long[] shape)
    {
        using var generator = new Generator((ulong)seed);
        return (rand(shape, generator: generator) * 2) - 1;
    }

    public static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double m = 0;
        for (int i = 0; i < a.Length; i++)
        {
            m = Math.Max(m, Math.Abs(a[i] - b[i]));
        }

        return m;
    }
}

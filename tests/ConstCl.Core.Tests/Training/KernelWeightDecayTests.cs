using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

public class KernelWeightDecayTests
{
    private sealed class Mixed : nn.Module<Tensor, Tensor>
    {
        private readonly Conv3d conv;
        private readonly BatchNorm3d bn;
        private readonly Linear fc;
        private readonly LayerNorm ln;
        private readonly Sequential head;
        private readonly Linear frozen;

        public Mixed() : base(nameof(Mixed))
        {
            conv = nn.Conv3d(2, 3, 3, bias: true);
            bn = nn.BatchNorm3d(3);
            fc = nn.Linear(3, 4);
            ln = nn.LayerNorm(4);
            head = nn.Sequential(("proj", nn.Linear(4, 2, hasBias: false)), ("norm", nn.LayerNorm(2)));
            frozen = nn.Linear(2, 2);
            frozen.weight!.requires_grad = false;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            var x = bn.call(conv.call(input)).mean([2L, 3L, 4L]); // [B, 3]
            return frozen.call(head.call(ln.call(fc.call(x))));     // [B, 2]
        }
    }

    [Fact]
    public void SelectsConvAndDenseKernelsOnlyByModuleType()
    {
        TorchRuntime.Initialize(2);
        using var model = new Mixed();
        var names = KernelWeightDecay.SelectKernels(model).Select(k => k.Name).ToArray();
        // Not conv.bias, bn.weight/bias, fc.bias, ln.weight/bias, head.norm.*, nor the frozen kernel.
        Assert.Equal(new[] { "conv.weight", "fc.weight", "head.proj.weight" }, names);
    }

    [Fact]
    public void PenaltyEqualsBruteForceHalfSquaredNormTimesDecay()
    {
        TorchRuntime.Initialize(2);
        torch.manual_seed(3);
        using var model = new Mixed();
        const double wd = 1e-2;
        var decay = new KernelWeightDecay(model, wd);

        double expected = 0;
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var name in new[] { "conv.weight", "fc.weight", "head.proj.weight" })
        {
            foreach (var w in parameters[name].data<float>().ToArray())
            {
                expected += (double)w * w;
            }
        }

        expected *= wd / 2;
        using var penalty = decay.Compute();
        Assert.Empty(penalty.shape);
        Assert.True(Math.Abs(penalty.item<float>() - expected) <= 1e-6 * expected, $"{penalty.item<float>()} vs {expected}");

        // Its gradient is wd·W on kernels and nothing elsewhere.
        penalty.backward();
        var convGrad = parameters["conv.weight"].grad!.data<float>().ToArray();
        var convW = parameters["conv.weight"].data<float>().ToArray();
        for (var i = 0; i < convW.Length; i++)
        {
            Assert.Equal(wd * convW[i], convGrad[i], 1e-7);
        }

        Assert.Null(parameters["conv.bias"].grad);
        Assert.Null(parameters["bn.weight"].grad);
    }

    [Fact]
    public void ZeroDecayGivesZero()
    {
        TorchRuntime.Initialize(2);
        using var model = new Mixed();
        using var penalty = new KernelWeightDecay(model, 0).Compute();
        Assert.Equal(0f, penalty.item<float>());
    }
}

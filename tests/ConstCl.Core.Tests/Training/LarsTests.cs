using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

public class LarsTests
{
    [Fact]
    public void TwoStepsMatchAHandComputation()
    {
        TorchRuntime.Initialize(2);
        // Kernel w = (3, 4), ‖w‖ = 5, gradient c = (0.6, 0.8), ‖c‖ = 1; bias b = (1, −1) with gradient d = (2, 0).
        using var w = new Parameter(torch.tensor(new[] { 3f, 4f }));
        using var b = new Parameter(torch.tensor(new[] { 1f, -1f }));
        using var c = torch.tensor(new[] { 0.6f, 0.8f });
        using var d = torch.tensor(new[] { 2f, 0f });
        using var lars = new Lars([("w", w)], [("b", b)], momentum: 0.9, trustCoefficient: 0.001);
        const double lr = 0.5, m = 0.9, eta = 0.001;

        double[] wv = [3, 4], bv = [1, -1], c64 = [0.6, 0.8], d64 = [2, 0], vw = [0, 0], vb = [0, 0];
        for (var step = 0; step < 2; step++)
        {
            lars.zero_grad();
            using (var loss = (w * c).sum() + (b * d).sum())
            {
                loss.backward();
            }

            lars.LearningRate = lr;
            lars.step();

            // Hand computation in double: trust = η‖w‖/‖g‖ for the kernel, 1 for the excluded bias.
            var trust = eta * Math.Sqrt(wv[0] * wv[0] + wv[1] * wv[1]) / Math.Sqrt(c64[0] * c64[0] + c64[1] * c64[1]);
            for (var i = 0; i < 2; i++)
            {
                vw[i] = m * vw[i] + lr * trust * c64[i];
                wv[i] -= vw[i];
                vb[i] = m * vb[i] + lr * d64[i];
                bv[i] -= vb[i];
            }

            var actualW = w.data<float>().ToArray();
            var actualB = b.data<float>().ToArray();
            for (var i = 0; i < 2; i++)
            {
                Assert.Equal(wv[i], actualW[i], 1e-6);
                Assert.Equal(bv[i], actualB[i], 1e-6);
            }
        }

        // After step 1: trust 0.005, w = (3 − 0.0015, 4 − 0.002); bias takes the plain update b = (0, −1).
        Assert.Equal(2.9985 - (0.9 * 0.0015 + 0.5 * 0.001 * Math.Sqrt(2.9985 * 2.9985 + 3.998 * 3.998) * 0.6), w.data<float>()[0], 1e-6);
    }

    [Fact]
    public void ZeroGradientOrZeroWeightUsesTrustOne()
    {
        TorchRuntime.Initialize(2);
        using var w = new Parameter(torch.zeros(2));
        using var lars = new Lars([("w", w)], [], momentum: 0.9);
        using (var loss = (w * torch.tensor(new[] { 1f, 2f })).sum())
        {
            loss.backward();
        }

        lars.LearningRate = 0.1;
        lars.step();
        // ‖w‖ = 0 → trust 1 → w = −0.1·g, finite.
        Assert.Equal(new[] { -0.1f, -0.2f }, w.data<float>().ToArray());
    }

    [Fact]
    public void ForModelAdaptsExactlyTheKernels()
    {
        using var model = TrainingTestModels.Mlp(1);
        using var lars = Lars.ForModel(model);
        // Kernels first (adapted group), then biases and BatchNorm γ/β (excluded group).
        Assert.Equal(new[] { "fc1.weight", "fc2.weight", "fc1.bias", "bn.weight", "bn.bias", "fc2.bias" }, lars.ParameterNames);
    }
}

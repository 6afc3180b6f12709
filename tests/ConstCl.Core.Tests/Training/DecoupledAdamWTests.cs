using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

/// <summary><see cref="DecoupledAdamW"/> against libtorch's own <c>torch.optim.AdamW</c> (an independent implementation).</summary>
public class DecoupledAdamWTests
{
    private static readonly float[] Start = [1.0f, -2.0f, 0.5f];

    public DecoupledAdamWTests() => TorchRuntime.Initialize(2);

    [Theory]
    [InlineData(true, 0.1)]     // a kernel: decoupled decay
    [InlineData(false, 0.1)]    // not decayed: plain Adam
    [InlineData(true, 0.0)]
    public void FollowsTorchAdamWWithChangingRates(bool decayed, double weightDecay)
    {
        double[] rates = [0.1, 0.3, 0.05, 0.2];
        var ours = Run(w => decayed
            ? new DecoupledAdamW([("w", w)], [], 0.9, 0.99, 1e-8, weightDecay)
            : new DecoupledAdamW([], [("w", w)], 0.9, 0.99, 1e-8, weightDecay), (o, lr) => ((DecoupledAdamW)o).LearningRate = lr, rates);
        var reference = Run(
            w => optim.AdamW(new[] { w }, rates[0], 0.9, 0.99, 1e-8, decayed ? weightDecay : 0),
            (o, lr) => { foreach (var g in o.ParamGroups) { g.LearningRate = lr; } },
            rates);
        for (var i = 0; i < Start.Length; i++)
        {
            Assert.Equal(reference[i], ours[i], 1e-5);
        }
    }

    [Fact]
    public void ExportImportRoundTripsMomentsAndTheUpdateCount()
    {
        using var w = new Parameter(tensor(Start));
        using var optimizer = new DecoupledAdamW([("w", w)], []);
        Step(optimizer, w, 0.1);
        Step(optimizer, w, 0.1);
        var state = optimizer.ExportState();
        Assert.Equal(new[] { "adamw/updates", "exp_avg/w", "exp_avg_sq/w" }, state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2L, state["adamw/updates"].data<long>()[0]);

        using var w2 = new Parameter(tensor(Start));
        using var restored = new DecoupledAdamW([("w", w2)], []);
        restored.ImportState(state);
        Assert.Equal(2, restored.Updates);
        using (no_grad())
        {
            w2.copy_(w);
        }

        Step(optimizer, w, 0.05);
        Step(restored, w2, 0.05);
        Assert.Equal(w.data<float>().ToArray(), w2.data<float>().ToArray());

        using var w3 = new Parameter(zeros(4));
        using var wrong = new DecoupledAdamW([("w", w3)], []);
        var error = Assert.Throws<ArgumentException>(() => wrong.ImportState(state));
        Assert.Contains("exp_avg/w", error.Message);
        using var sgd = new MomentumSgd([("w", w3)]);
        Assert.Throws<ArgumentException>(() => sgd.ImportState(state));
    }

    [Fact]
    public void ForModelDecaysExactlyTheKernelsAndSkipsTheL2LossTerm()
    {
        using var model = TrainingTestModels.Mlp(4);
        using var optimizer = ConstClOptimizer.Create(PretrainingOptions.TinyOfficial with { Optimizer = OptimizerKind.AdamW, WeightDecay = 0.5 }, model);
        var adamw = Assert.IsType<DecoupledAdamW>(optimizer);
        Assert.False(adamw.UsesL2LossTerm);
        Assert.True(new MomentumSgd(model.named_parameters()).UsesL2LossTerm);
        Assert.Equal(0.5, adamw.WeightDecay);

        // With a zero gradient, Adam's step is 0, so only the decay moves a parameter: kernels shrink, biases do not.
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        foreach (var p in model.parameters())
        {
            p.grad = zeros_like(p);
        }

        adamw.LearningRate = 0.1;
        adamw.step();
        var kernels = KernelWeightDecay.SelectKernels(model).Select(k => k.Name).ToHashSet();
        Assert.NotEmpty(kernels);
        foreach (var (name, parameter) in model.named_parameters())
        {
            var expected = before[name].Select(v => kernels.Contains(name) ? (float)(v * (1 - (0.1 * 0.5))) : v).ToArray();
            Assert.Equal(expected, parameter.data<float>().ToArray(), new FloatTolerance(1e-6f));
        }
    }

    private static void Step(DecoupledAdamW optimizer, Parameter w, double lr)
    {
        optimizer.zero_grad();
        using (var loss = w.square().sum())
        {
            loss.backward();
        }

        optimizer.LearningRate = lr;
        optimizer.step();
    }

    // loss = Σ w² + Σ w·c: a gradient that changes with w, so the moments and bias corrections all matter.
    private static float[] Run(Func<Parameter, optim.Optimizer> create, Action<optim.Optimizer, double> setLr, double[] rates)
    {
        using var w = new Parameter(tensor(Start));
        using var c = tensor(new[] { 0.5f, 1.5f, -1.0f });
        using var optimizer = create(w);
        foreach (var lr in rates)
        {
            optimizer.zero_grad();
            using var loss = w.square().sum().add(w.mul(c).sum());
            loss.backward();
            setLr(optimizer, lr);
            optimizer.step();
        }

        return w.data<float>().ToArray();
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}

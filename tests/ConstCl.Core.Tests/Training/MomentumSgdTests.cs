using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

public class MomentumSgdTests
{
    private static readonly float[] Start = [1.0f, -2.0f];
    private static readonly float[] Slope = [0.5f, 1.5f];

    // loss = Σ c·w, so the gradient is the constant c at every step and the trajectory has a closed form.
    private static float[] Run(Func<Parameter, optim.Optimizer> create, Action<optim.Optimizer, double> setLr, double[] rates)
    {
        TorchRuntime.Initialize(2);
        using var w = new Parameter(torch.tensor(Start));
        using var c = torch.tensor(Slope);
        using var optimizer = create(w);
        foreach (var lr in rates)
        {
            optimizer.zero_grad();
            using var loss = (w * c).sum();
            loss.backward();
            setLr(optimizer, lr);
            optimizer.step();
        }

        return w.data<float>().ToArray();
    }

    private static float[] RunKeras(double[] rates, bool nesterov = false) =>
        Run(w => new MomentumSgd([("w", w)], 0.9, nesterov), (o, lr) => ((MomentumSgd)o).LearningRate = lr, rates);

    private static float[] RunTorch(double[] rates) =>
        Run(w => torch.optim.SGD(new[] { w }, rates[0], momentum: 0.9), (o, lr) => { foreach (var g in o.ParamGroups) { g.LearningRate = lr; } }, rates);

    private static void AssertTrajectory(double totalFactor, float[] actual)
    {
        for (var i = 0; i < Start.Length; i++)
        {
            Assert.Equal(Start[i] - totalFactor * Slope[i], actual[i], 1e-5);
        }
    }

    [Fact]
    public void FollowsKerasMomentumWithChangingRate()
    {
        // Keras: v1 = −0.1c; v2 = 0.9·v1 − 0.3c = −0.39c; v3 = 0.9·v2 − 0.2c = −0.551c → w3 = w0 − 1.041c.
        AssertTrajectory(1.041, RunKeras([0.1, 0.3, 0.2]));
    }

    [Fact]
    public void DiffersFromTorchSgdWhenTheRateChangesAndAgreesWhenConstant()
    {
        // PyTorch: b = c, 1.9c, 2.71c → w3 = w0 − (0.1·1 + 0.3·1.9 + 0.2·2.71)c = w0 − 1.212c.
        AssertTrajectory(1.212, RunTorch([0.1, 0.3, 0.2]));
        // Constant rate 0.2: both give w0 − 0.2·(1 + 1.9 + 2.71)c = w0 − 1.122c.
        AssertTrajectory(1.122, RunKeras([0.2, 0.2, 0.2]));
        AssertTrajectory(1.122, RunTorch([0.2, 0.2, 0.2]));
    }

    [Fact]
    public void NesterovFollowsKeras()
    {
        // w1 = w0 + 0.9·(−0.1c) − 0.1c = w0 − 0.19c; v2 = −0.39c; w2 = w1 + 0.9·(−0.39c) − 0.3c → w0 − 0.841c.
        AssertTrajectory(0.841, RunKeras([0.1, 0.3], nesterov: true));
    }

    [Fact]
    public void ZeroRateFirstStepChangesNothing()
    {
        // The official schedule gives lr(0) = 0: Keras' first update is a no-op and leaves a zero velocity.
        AssertTrajectory(0.0, RunKeras([0.0]));
        AssertTrajectory(0.1, RunKeras([0.0, 0.1]));
    }

    [Fact]
    public void ExportImportRoundTripsVelocitiesAndRejectsMismatches()
    {
        TorchRuntime.Initialize(2);
        using var w = new Parameter(torch.tensor(Start));
        using var optimizer = new MomentumSgd([("w", w)]);
        optimizer.LearningRate = 0.1;
        using (var loss = (w * torch.tensor(Slope)).sum())
        {
            loss.backward();
        }

        optimizer.step();
        var state = optimizer.ExportState();
        Assert.Equal(new[] { "velocity/w" }, state.Keys);
        Assert.Equal(new[] { -0.05f, -0.15f }, state["velocity/w"].data<float>().ToArray());

        using var w2 = new Parameter(torch.zeros(2));
        using var other = new MomentumSgd([("w", w2)]);
        other.ImportState(state);
        Assert.Equal(state["velocity/w"].data<float>().ToArray(), other.ExportState()["velocity/w"].data<float>().ToArray());

        using var w3 = new Parameter(torch.zeros(3));
        using var wrong = new MomentumSgd([("w", w3)]);
        var ex = Assert.Throws<ArgumentException>(() => wrong.ImportState(state));
        Assert.Contains("velocity/w", ex.Message);
    }
}

public class ConstClOptimizerTorchSharpStateTests
{
    [Fact]
    public void TorchSharpSaveAndLoadStateDictRoundTripVelocities()
    {
        using var model = TrainingTestModels.Mlp(4);
        using var optimizer = ConstClOptimizer.Create(PretrainingOptions.TinyOfficial, model);
        optimizer.LearningRate = 0.1;
        using (var loss = model.call(torch.ones(3, 4)).square().mean())
        {
            loss.backward();
        }

        optimizer.step();
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            optimizer.save_state_dict(writer);
        }

        using var model2 = TrainingTestModels.Mlp(4);
        using var other = ConstClOptimizer.Create(PretrainingOptions.TinyOfficial, model2);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer))
        {
            other.load_state_dict(reader);
        }

        TrainingTestModels.AssertBitwiseEqual(TrainingTestModels.Bytes(optimizer.ExportState()), TrainingTestModels.Bytes(other.ExportState()));
        Assert.Contains(TrainingTestModels.Bytes(other.ExportState()).Values, b => b.Any(x => x != 0));
    }
}

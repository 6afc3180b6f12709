using ConstCl.Losses;
using ConstCl.Modeling;
using ConstCl.Runtime;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Losses;

public class ConstClObjectiveTests
{
    public ConstClObjectiveTests() => TorchRuntime.Initialize(2);

    private static ConstClModelOutput MakeOutput(int videos = 3, int regions = 4, int channels = 6, int dim = 5)
    {
        var g = new Generator(21);
        Tensor R(params long[] shape) => randn(shape, float64, generator: g).requires_grad_(true);
        return new ConstClModelOutput(
            R(2 * videos, dim),
            R(videos, regions, channels),
            R(videos, regions, channels),
            R(videos, regions, channels),
            R(videos, regions, channels),
            ones(new long[] { videos, regions }, ScalarType.Bool),
            tensor(new[] { true, false, true, true, true, true, false, true, true, true, true, true }).reshape(videos, regions));
    }

    [Fact]
    public void DefaultsAreTheOfficialConfiguration()
    {
        // configs/const_cl.py:ConstCLLosses (spec §4.1): global 1.0, local 0.001, τ_g 0.1, τ_l 0.2; paper ω = 0.01.
        var options = new ConstClObjectiveOptions();
        Assert.Equal(1.0, options.GlobalWeight);
        Assert.Equal(0.001, options.LocalWeight);
        Assert.Equal(0.1, options.GlobalTemperature);
        Assert.Equal(0.2, options.LocalTemperature);
        Assert.Equal(0.01, ConstClObjectiveOptions.LocalWeightPaper);
        Assert.False(options.IsGlobalOnly);
        Assert.False(options.TimeReversedNegatives);
    }

    [Fact]
    public void TimeReversedNegativesEnterTheGlobalLossAndAreRequired()
    {
        using var output = MakeOutput();
        using var scope = NewDisposeScope();
        var options = new ConstClObjectiveOptions { TimeReversedNegatives = true };
        var error = Assert.Throws<ArgumentException>(() => ConstClObjective.Compute(output, options));
        Assert.Contains("ReversedEmbeddings", error.Message);

        var reversed = randn(new long[] { 3, 5 }, float64, generator: new Generator(4));
        var withReversed = output with { ReversedEmbeddings = reversed };
        using var result = ConstClObjective.Compute(withReversed, options);
        var rows = output.GlobalEmbeddings;
        using var expected = GlobalContrastiveLoss.Compute(rows[..3], rows[3..], options.GlobalTemperature, reversed);
        Assert.Equal(expected.Loss.item<double>(), result.Global.Loss.item<double>(), 12);
        // Without the option the same output gives the official loss: the extra rows are ignored.
        using var official = ConstClObjective.Compute(withReversed);
        using var plain = GlobalContrastiveLoss.Compute(rows[..3], rows[3..], 0.1);
        Assert.Equal(plain.Loss.item<double>(), official.Global.Loss.item<double>(), 12);
    }

    [Fact]
    public void TotalIsTheWeightedSumOfBothLosses()
    {
        var options = new ConstClObjectiveOptions { GlobalWeight = 0.7, LocalWeight = 0.01 };
        using var output = MakeOutput();
        using var scope = NewDisposeScope();
        using var result = ConstClObjective.Compute(output, options);
        using var global = GlobalContrastiveLoss.Compute(output.GlobalEmbeddings.narrow(0, 0, 3), output.GlobalEmbeddings.narrow(0, 3, 3), 0.1);
        using var local = InstanceContrastiveLoss.Compute(
            output.PredictionsAToB, output.PredictionsBToA, output.RegionFeaturesA, output.RegionFeaturesB, output.RegionMaskA, output.RegionMaskB, 0.2);
        Assert.NotNull(result.Local);
        Assert.Equal(global.Loss.item<double>(), result.Global.Loss.item<double>(), 12);
        Assert.Equal(local.Loss.item<double>(), result.Local!.Loss.item<double>(), 12);
        Assert.Equal(0.7 * global.Loss.item<double>() + 0.01 * local.Loss.item<double>(), result.Total.item<double>(), 12);

        result.Total.backward();
        foreach (var t in new[] { output.GlobalEmbeddings, output.RegionFeaturesA, output.RegionFeaturesB, output.PredictionsAToB, output.PredictionsBToA })
        {
            Assert.True(t.grad!.abs().sum().item<double>() > 0);
        }
    }

    [Fact]
    public void GlobalOnlyModeSkipsTheLocalLoss()
    {
        using var output = MakeOutput();
        using var scope = NewDisposeScope();
        using var result = ConstClObjective.Compute(output, new ConstClObjectiveOptions { LocalWeight = 0 });
        Assert.Null(result.Local);
        Assert.Equal(result.Global.Loss.item<double>(), result.Total.item<double>(), 14);
        result.Total.backward();
        Assert.Null(output.PredictionsAToB.grad);
    }

    [Fact]
    public void OnlyTheResultTensorsAreLeftInTheCallersScope()
    {
        // 1 total + 5 global + 11 local tensors; every intermediate is disposed inside Compute.
        using var output = MakeOutput();
        using var scope = NewDisposeScope();
        using var result = ConstClObjective.Compute(output);
        Assert.Equal(17, scope.DisposablesCount);
        Assert.True(double.IsFinite(result.Local!.NegativeSimilarityMean.item<double>()));
        Assert.True(double.IsFinite(result.Global.Entropy.item<double>()));
        Assert.True(double.IsFinite(result.Total.item<double>()));
    }

    [Fact]
    public void InvalidOptionsAndOutputsThrow()
    {
        Assert.Equal("LocalWeight", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstClObjectiveOptions { LocalWeight = -1 }.Validate()).ParamName);
        Assert.Equal("GlobalTemperature", Assert.Throws<ArgumentOutOfRangeException>(() => new ConstClObjectiveOptions { GlobalTemperature = 0 }.Validate()).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConstClObjectiveOptions { GlobalWeight = 0, LocalWeight = 0 }.Validate());
        using var good = MakeOutput();
        using var scope = NewDisposeScope();
        var odd = good with { GlobalEmbeddings = zeros(new long[] { 5, 5 }, float64) };
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => ConstClObjective.Compute(odd)).ParamName);
    }
}

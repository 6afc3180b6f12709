using ConstCl.Training;

namespace ConstCl.Core.Tests.Training;

public class PretrainingOptionsTests
{
    [Fact]
    public void PresetsAreValidAndPaperMatchesTheOfficialConfig()
    {
        PretrainingOptions.TinyOfficial.Validate();
        var paper = PretrainingOptions.Paper.Validate();
        // Spec §4.2: SGD 0.9, no Nesterov, 40.96 at batch 1 024, warm-up 2 500, 200k steps, wd 1e-6, bf16.
        Assert.Equal(OptimizerKind.Sgd, paper.Optimizer);
        Assert.Equal(0.9, paper.Momentum);
        Assert.False(paper.Nesterov);
        Assert.Equal(40.96, paper.PeakLearningRate, 12);
        Assert.Equal(2500, paper.WarmupSteps);
        Assert.Equal(200_000, paper.Steps);
        Assert.Equal(1e-6, paper.WeightDecay);
        Assert.Null(paper.GradientClipNorm);
        Assert.True(paper.BFloat16);
    }

    [Fact]
    public void SmallIsTheCpuPresetWithItsDocumentedDepartures()
    {
        var small = PretrainingOptions.Small.Validate();
        Assert.Equal(OptimizerKind.AdamW, small.Optimizer);
        Assert.Equal(1e-3, small.PeakLearningRate, 12);
        Assert.Equal(ConstCl.Modeling.ConstClModelOptions.Small, small.Model);
        Assert.Equal(ConstCl.Modeling.InputMode.FrameDifference, small.Model.Backbone.InputMode);
        Assert.Equal(ConstCl.Modeling.BlockKind.Basic, small.Model.Backbone.Block);
        Assert.Equal(ConstCl.Augmentation.FlipMode.Shared, small.Augmentation.FlipMode);
        Assert.Equal(0, small.Augmentation.BlurProbabilityView1);
        Assert.True(small.MinimumViewGap > 0);
        Assert.Null(small.GradientClipNorm);
        // The official presets keep the official sampling and augmentation.
        Assert.Equal(ConstCl.Augmentation.AugmentationOptions.Official, PretrainingOptions.Paper.Augmentation);
        Assert.Equal(0, PretrainingOptions.TinyOfficial.MinimumViewGap);
        Assert.Equal(ConstCl.Modeling.BlockKind.Bottleneck, PretrainingOptions.TinyOfficial.Model.Backbone.Block);
    }

    [Fact]
    public void TinyKeepsTheOfficialLayoutWithTheCpuRecipe()
    {
        var tiny = PretrainingOptions.Tiny.Validate();
        var official = ConstCl.Modeling.ConstClModelOptions.Tiny;
        // The official 50-layer bottleneck backbone, region branch and clip shape...
        Assert.Equal(official.Backbone with { InputMode = ConstCl.Modeling.InputMode.FrameDifference }, tiny.Model.Backbone);
        Assert.Equal(official.LocalHead, tiny.Model.LocalHead);
        Assert.Equal((official.InputFrames, official.InputSize), (tiny.Model.InputFrames, tiny.Model.InputSize));
        // ...with the documented departures: frame differences, Small's head, Small's recipe, a longer run, no region loss.
        Assert.Equal(ConstCl.Modeling.ConstClModelOptions.Small.GlobalHead, tiny.Model.GlobalHead);
        Assert.Equal(OptimizerKind.AdamW, tiny.Optimizer);
        Assert.Equal(1e-3, tiny.PeakLearningRate, 12);
        Assert.Equal(PretrainingOptions.Small.Augmentation, tiny.Augmentation);
        Assert.Equal(PretrainingOptions.Small.MinimumViewGap, tiny.MinimumViewGap);
        Assert.Equal((4800, 480, 16, 0.0), (tiny.Steps, tiny.WarmupSteps, tiny.BatchSize, tiny.Objective.LocalWeight));
        // The official recipe on the official network stays available.
        Assert.Equal(official, PretrainingOptions.TinyOfficial.Validate().Model);
        Assert.Equal(OptimizerKind.Sgd, PretrainingOptions.TinyOfficial.Optimizer);
    }

    [Theory]
    [InlineData("small")]
    [InlineData("Tiny")]
    [InlineData(" paper ")]
    public void ForPresetFindsEachPresetByName(string name)
    {
        var options = PretrainingOptions.ForPreset(name);
        Assert.Equal(ConstCl.Modeling.ConstClModelOptions.ForPreset(name), options.Model);
        var error = Assert.Throws<ArgumentException>(() => PretrainingOptions.ForPreset("huge"));
        Assert.Contains("small, tiny, paper", error.Message);
    }

    [Fact]
    public void LinearScalingKeepsThePerVideoRate()
    {
        // 40.96 / 1 024 = 0.04 per video.
        Assert.Equal(0.16, PretrainingOptions.TinyOfficial.PeakLearningRate, 12);
        var none = PretrainingOptions.Paper with { BatchSize = 8, LearningRateScaling = LearningRateScaling.None };
        Assert.Equal(40.96, none.PeakLearningRate, 12);
    }

    [Fact]
    public void ValidationNamesEveryBadField()
    {
        var bad = PretrainingOptions.TinyOfficial with { Steps = 0, WarmupSteps = -1, Momentum = 1.5, Threads = 0, GradientClipNorm = -1 };
        var ex = Assert.Throws<ArgumentException>(() => bad.Validate());
        Assert.Contains("PretrainingOptions.Steps = 0", ex.Message);
        Assert.Contains("PretrainingOptions.WarmupSteps = -1", ex.Message);
        Assert.Contains("PretrainingOptions.Momentum = 1.5", ex.Message);
        Assert.Contains("PretrainingOptions.Threads = 0", ex.Message);
        Assert.Contains("PretrainingOptions.GradientClipNorm = -1", ex.Message);
        Assert.DoesNotContain("BatchSize", ex.Message);
    }

    [Fact]
    public void JsonRoundTripsAndRejectsUnknownFields()
    {
        var options = PretrainingOptions.TinyOfficial with { Optimizer = OptimizerKind.Lars, GradientClipNorm = 2.5, Seed = 42 };
        var json = options.ToJson();
        var small = PretrainingOptions.Small with { MinimumViewGap = 3 };
        Assert.Equal(small, PretrainingOptions.FromJson(small.ToJson()));
        Assert.Contains("\"FlipMode\": \"Shared\"", small.ToJson());
        Assert.Contains("\"Optimizer\": \"Lars\"", json);
        Assert.DoesNotContain("PeakLearningRate", json);
        Assert.Equal(options, PretrainingOptions.FromJson(json));

        var typo = json.Replace("\"Seed\"", "\"Sede\"");
        var ex = Assert.Throws<ArgumentException>(() => PretrainingOptions.FromJson(typo));
        Assert.Contains("Sede", ex.Message);
    }

    [Fact]
    public void WithStepsKeepsTheWarmupShare()
    {
        Assert.Equal((300, 30), (PretrainingOptions.Small.WithSteps(300).Steps, PretrainingOptions.Small.WithSteps(300).WarmupSteps));
        Assert.Equal((500, 50), (PretrainingOptions.TinyOfficial.WithSteps(500).Steps, PretrainingOptions.TinyOfficial.WithSteps(500).WarmupSteps));   // 20 · 500 / 200
        Assert.Equal(12, PretrainingOptions.Paper.WithSteps(1000).WarmupSteps);                                                        // round(12.5), to even
        Assert.Equal(PretrainingOptions.TinyOfficial with { Steps = 7, WarmupSteps = 1 }, PretrainingOptions.TinyOfficial.WithSteps(7));             // nothing else changes
        Assert.Throws<ArgumentOutOfRangeException>(() => PretrainingOptions.TinyOfficial.WithSteps(0));
    }
}

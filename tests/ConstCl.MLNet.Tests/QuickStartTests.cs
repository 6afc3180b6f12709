using System.Text.Json;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// The quick start's pipeline (examples/QuickStart) end to end on a tiny configuration: the command line parses, every
/// row of the table is computed, <c>--json</c> writes the documented keys, and two runs under one seed agree exactly.
/// The full configuration's numbers are measured by running the example (README), not here.
/// </summary>
[Trait("Category", "Slow")]   // the quick start
public sealed class QuickStartTests
{
    private static readonly string[] TinyRun =
    [
        "--classes", "3", "--videos-per-class", "4", "--steps", "2", "--batch-size", "2", "--seed", "5", "--threads", "2",
    ];

    [Fact]
    public void Tiny_run_writes_the_documented_json_and_is_deterministic_under_its_seed()
    {
        var directory = Directory.CreateTempSubdirectory("constcl-quickstart-test-").FullName;
        var first = Path.Combine(directory, "first.json");
        var second = Path.Combine(directory, "second.json");
        Assert.Equal(0, QuickStart.Program.Main([.. TinyRun, "--json", first]));
        Assert.Equal(0, QuickStart.Program.Main([.. TinyRun, "--json", second]));

        using var a = JsonDocument.Parse(File.ReadAllText(first));
        using var b = JsonDocument.Parse(File.ReadAllText(second));
        string[] keys =
        [
            "constcl", "cvrl", "randomInit", "chance", "classes", "trainVideos", "testVideos", "seconds",
            "constclAppearance", "cvrlAppearance", "randomInitAppearance", "appearanceChance", "preset", "steps", "batchSize",
        ];
        Assert.Equal(keys, a.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, a.RootElement.GetProperty("classes").GetInt32());
        Assert.Equal(9, a.RootElement.GetProperty("trainVideos").GetInt32());     // 3 of each class's 4 videos
        Assert.Equal(3, a.RootElement.GetProperty("testVideos").GetInt32());
        Assert.Equal(1.0 / 3, a.RootElement.GetProperty("chance").GetDouble(), 12);
        Assert.True(a.RootElement.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal("small", a.RootElement.GetProperty("preset").GetString());
        Assert.Equal(0.2, a.RootElement.GetProperty("appearanceChance").GetDouble(), 12);
        foreach (var key in new[] { "constcl", "cvrl", "randomInit", "constclAppearance", "cvrlAppearance", "randomInitAppearance" })
        {
            // Accuracy on 3 test videos is k/3; the same seed gives the same encoders, embeddings and probe.
            double accuracy = a.RootElement.GetProperty(key).GetDouble();
            Assert.InRange(accuracy, 0, 1);
            Assert.Equal(Math.Round(accuracy * 3), accuracy * 3, 9);
            Assert.Equal(accuracy, b.RootElement.GetProperty(key).GetDouble());
        }

        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("--input", "yuv")]
    [InlineData("--flip", "sideways")]
    [InlineData("--classes", "13")]
    [InlineData("--steps", "many")]
    [InlineData("--variants", "constcl,supervised")]
    [InlineData("--unknown", "1")]
    [InlineData("--preset", "paper")]
    [InlineData("--drift", "0.5")]
    public void Bad_arguments_are_refused_with_exit_code_2(string option, string value)
    {
        Assert.Equal(2, QuickStart.Program.Main([option, value]));
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_printed_and_exits_0(string option)
    {
        Assert.Equal(0, QuickStart.Program.Main([option]));
        Assert.Equal(0, QuickStart.Program.Main(["--steps", "many", option]));   // help wins over a bad value
    }

    [Fact]
    public void Defaults_are_the_small_preset_without_drift()
    {
        var training = new QuickStart.QuickStartSettings().Training();
        var small = ConstCl.Training.PretrainingOptions.Small;
        Assert.Equal(small.Model, training.Model);
        // The preset's recipe at the quick start's budget: 400 of the preset's 600 steps, the same 10 % warm-up.
        Assert.Equal((400, 40), (training.Steps, training.WarmupSteps));
        Assert.Equal((600, 60), (small.Steps, small.WarmupSteps));
        Assert.Equal((small.BatchSize, small.PeakLearningRate, small.Optimizer), (training.BatchSize, training.PeakLearningRate, training.Optimizer));
        Assert.Equal(small.Augmentation, training.Augmentation);
        Assert.Equal(0, new QuickStart.QuickStartSettings().BackgroundDrift);
    }

    [Fact]
    public void Parse_reads_every_option()
    {
        var (settings, json) = QuickStart.Program.Parse(
            ["--seed", "3", "--steps", "40", "--batch-size", "6", "--classes", "12", "--videos-per-class", "8", "--input", "rgb", "--flip", "none",
             "--min-view-gap", "2", "--local-weight", "0.5", "--variants", "cvrl", "--threads", "1", "--json", "out.json",
             "--preset", "tiny", "--lr", "0.02", "--drift", "0.05"]);
        Assert.Equal((3, 40, 6, 12, 8), (settings.Seed, settings.Steps!.Value, settings.BatchSize!.Value, settings.Classes, settings.VideosPerClass));
        Assert.Equal(("tiny", 0.02, 0.05), (settings.Preset, settings.LearningRate!.Value, settings.BackgroundDrift));
        var training = settings.Training();
        Assert.Equal((40, 6, 0.02, 2), (training.Steps, training.BatchSize, training.PeakLearningRate, training.MinimumViewGap));
        Assert.Equal(ConstCl.Modeling.BlockKind.Bottleneck, training.Model.Backbone.Block);
        Assert.Equal(ConstCl.Augmentation.FlipMode.None, training.Augmentation.FlipMode);
        Assert.Equal(ConstCl.Modeling.InputMode.Rgb, settings.InputMode);
        Assert.Equal(ConstCl.Augmentation.FlipMode.None, settings.FlipMode);
        Assert.Equal((2, 0.5, 1), (settings.MinimumViewGap!.Value, settings.LocalWeight!.Value, settings.Threads));
        Assert.Equal(["cvrl"], settings.Variants);
        Assert.Equal(Path.GetFullPath("out.json"), json);
    }
}

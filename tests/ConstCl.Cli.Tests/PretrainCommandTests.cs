using System.Text.Json;
using ConstCl.Checkpoints;
using ConstCl.Cli;
using ConstCl.Cli.Pictures;
using ConstCl.Embedding;
using ConstCl.Training;

namespace ConstCl.Cli.Tests;

public class PretrainCommandTests
{
    private static readonly object ConsoleGate = new();

    private static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "constcl-cli-pretrain-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void SyntheticTinyRunWritesCheckpointEncoderAndMetricsAndResumeContinues()
    {
        var dir = Path.Combine(TempDirectory(), "run");
        var (code, stdout, stderr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "3", "--batch-size", "2", "--out", dir, "--log-every", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("step 3/3", stderr);                                        // progress on standard error
        Assert.Contains("note: --steps 3 is 0.06 % of the tiny preset's 4,800 steps", stderr);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", "step-000000003.ckpt")));
        Assert.True(File.Exists(Path.Combine(dir, Pretrainer.EncoderFileName)));
        Assert.True(File.Exists(Path.Combine(dir, Pretrainer.OptionsFileName)));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName)).Length);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, MetricsLogger.TensorBoardDirectoryName)));
        Assert.Equal((TrainingCurvesPlot.Width, TrainingCurvesPlot.Height), PictureAssert.DecodesAsPng(Path.Combine(dir, TrainingCurvesPlot.FileName)));
        Assert.Contains("curves:", stdout);
        using (var encoder = VideoEncoder.Load(Path.Combine(dir, Pretrainer.EncoderFileName)))
        {
            Assert.Equal(64, encoder.Options.InputSize);
        }

        // Running again without --resume is refused; a longer run with --resume needs the override (Steps differs).
        var (again, _, againErr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "3", "--batch-size", "2", "--out", dir);
        Assert.Equal(1, again);
        Assert.Contains("--resume", againErr);

        var (refused, _, refusedErr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "4", "--batch-size", "2", "--out", dir, "--resume");
        Assert.Equal(1, refused);
        Assert.Contains("Steps: 3 → 4", refusedErr);
        Assert.Contains("--override-options", refusedErr);

        var (resumed, resumedOut, resumedErr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "4", "--batch-size", "2", "--out", dir, "--resume", "--override-options", "--log-every", "1");
        Assert.True(resumed == 0, resumedErr);
        Assert.Contains("Resumed from", resumedErr);
        Assert.Contains("step 4/4", resumedErr);
        Assert.DoesNotContain("step 1/4", resumedErr);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", "step-000000004.ckpt")));
        var steps = File.ReadAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32());
        Assert.Equal([1, 2, 3, 4], steps);
    }

    [Fact]
    public void ResumeWithEveryCheckpointCorruptIsRefusedUnlessStartOverIsGiven()
    {
        var dir = Path.Combine(TempDirectory(), "run");
        string[] args = ["pretrain", "--synthetic", "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--out", dir, "--log-every", "1"];
        Assert.Equal(0, Run(args).Code);
        var checkpoint = Path.Combine(dir, "checkpoints", "step-000000001.ckpt");
        File.WriteAllBytes(checkpoint, File.ReadAllBytes(checkpoint)[..64]);

        var (refused, _, refusedErr) = Run([.. args, "--resume"]);
        Assert.Equal(1, refused);
        Assert.Contains(checkpoint, refusedErr);
        Assert.Contains("--start-over", refusedErr);

        var (restarted, restartedOut, restartedErr) = Run([.. args, "--resume", "--start-over"]);
        Assert.True(restarted == 0, restartedErr);
        Assert.Contains("starting over from step 0", restartedErr);
        var steps = File.ReadAllLines(Path.Combine(dir, MetricsLogger.MetricsFileName))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32());
        Assert.Equal([1], steps);   // one run per log: the first run's line went to metrics.jsonl.*.old
    }

    [Theory]
    [InlineData("no data source", "give exactly one data source", "--preset", "tiny", "--steps", "3", "--out", "OUT")]
    [InlineData("two data sources", "give exactly one data source", "--synthetic", "--data", "x.csv", "--steps", "3", "--out", "OUT")]
    [InlineData("cvrl with a weight", "--cvrl means --local-weight 0", "--synthetic", "--cvrl", "--local-weight", "0.1", "--out", "OUT")]
    [InlineData("override without resume", "--override-options only applies with --resume", "--synthetic", "--override-options", "--out", "OUT")]
    [InlineData("start over without resume", "--start-over only applies with --resume", "--synthetic", "--start-over", "--out", "OUT")]
    [InlineData("zero steps", "--steps must be between 1 and", "--synthetic", "--steps", "0", "--out", "OUT")]
    [InlineData("negative local weight", "LocalWeight", "--synthetic", "--local-weight", "-1", "--out", "OUT")]
    [InlineData("missing data folder", "neither a manifest file nor a folder", "--data", "/nonexistent/constcl/data", "--out", "OUT")]
    [InlineData("frame cache for rendered videos", "--frame-cache caches decoded video files; --synthetic renders", "--synthetic", "--frame-cache", "OUT", "--out", "OUT")]
    [InlineData("blank frame cache", "--frame-cache must name a folder", "--data", "x.csv", "--frame-cache", " ", "--out", "OUT")]
    public void BadArgumentsGiveClearErrors(string because, string expected, params string[] args)
    {
        var dir = TempDirectory();
        var (code, _, stderr) = Run(["pretrain", .. args.Select(a => a == "OUT" ? Path.Combine(dir, "out") : a)]);
        Assert.True(code == 2, because);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void TinyOnLossyFilesIsToldSmallIsThePresetForCompressedSources()
    {
        var root = ProbeFixtures.WriteUcf101(Path.Combine(TempDirectory(), "ucf"), brokenTrainVideo: false);   // MJPG files
        var dir = Path.Combine(TempDirectory(), "run");
        var (code, _, stderr) = Run("pretrain", "--ucf101", root, "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--out", dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("constcl pretrain: note: the videos are MJPG, a lossy codec", stderr);
        Assert.Contains("note: --steps 1 is", stderr);
    }

    [Fact]
    public void FrameCacheIsFilledOnceAndTrainsOnTheSameBatchesAsDecoding()
    {
        var root = ProbeFixtures.WriteUcf101(Path.Combine(TempDirectory(), "ucf"), brokenTrainVideo: false);
        var dir = TempDirectory();
        string cache = Path.Combine(dir, "frames");
        string[] Losses(params string[] extra)
        {
            string outDir = Path.Combine(dir, Guid.NewGuid().ToString("N"));
            var (code, _, stderr) = Run(["pretrain", "--ucf101", root, "--preset", "tiny", "--steps", "2", "--batch-size", "2", "--log-every", "1", "--out", outDir, .. extra]);
            Assert.True(code == 0, stderr);
            return File.ReadLines(Path.Combine(outDir, "metrics.jsonl"))
                .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss/total").GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture))
                .ToArray();
        }

        string[] decoded = Losses();
        string[] filling = Losses("--frame-cache", cache);
        string[] entries = Directory.GetFiles(cache, "*.frames");
        Assert.NotEmpty(entries);
        var written = entries.ToDictionary(e => e, File.GetLastWriteTimeUtc);
        string[] reading = Losses("--frame-cache", cache);

        Assert.Equal(2, decoded.Length);
        Assert.Equal(decoded, filling);
        Assert.Equal(decoded, reading);
        Assert.All(entries, e => Assert.Equal(written[e], File.GetLastWriteTimeUtc(e)));   // read, not rebuilt

        // A file where the folder should be is refused before anything runs.
        string file = Path.Combine(dir, "not-a-folder");
        File.WriteAllText(file, "x");
        var (refused, _, refusedErr) = Run("pretrain", "--ucf101", root, "--preset", "tiny", "--out", Path.Combine(dir, "refused"), "--frame-cache", file);
        Assert.Equal(2, refused);
        Assert.Contains($"--frame-cache: '{file}' is a file; give a folder", refusedErr);
    }

    [Fact]
    public void UnknownPresetIsRejectedByTheParser()
    {
        var (code, _, _) = Run("pretrain", "--synthetic", "--preset", "huge", "--out", TempDirectory());
        Assert.NotEqual(0, code);
    }

    [Fact]
    public void OptionsFollowThePresetWithTheWarmUpScaledToTheSteps()
    {
        var tiny = Commands.PretrainCommand.BuildOptions("tiny", 100, 4, 5, null, null, null, null);
        Assert.Equal(10, tiny.WarmupSteps); // Tiny: 480 of 4 800 steps
        Assert.False(tiny.BFloat16);
        Assert.Equal(5, tiny.Seed);
        var paper = Commands.PretrainCommand.BuildOptions("paper", 20_000, 8, 1, 2, 0, null, null);
        Assert.Equal(250, paper.WarmupSteps); // Paper: 2 500 of 200 000 steps
        Assert.True(paper.Objective.IsGlobalOnly);
        Assert.Equal(224, paper.Model.InputSize);
        Assert.Equal(40.96 * 8 / 1024, paper.PeakLearningRate, 12);
    }

    [Fact]
    public void QuickStartFlagsReachTheWrittenOptions()
    {
        var dir = TempDirectory();
        var (code, _, stderr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "2", "--batch-size", "2", "--out", dir,
            "--input", "difference", "--lr", "0.02", "--min-view-gap", "4", "--flip", "shared");
        Assert.True(code == 0, stderr);
        var options = ConstCl.Training.PretrainingOptions.FromJson(File.ReadAllText(Path.Combine(dir, "options.json")));
        Assert.Equal(ConstCl.Modeling.InputMode.FrameDifference, options.Model.Backbone.InputMode);
        Assert.Equal(0.02, options.PeakLearningRate, 12);                       // used as given, not scaled by the batch
        Assert.Equal(4, options.MinimumViewGap);
        Assert.Equal(ConstCl.Augmentation.FlipMode.Shared, options.Augmentation.FlipMode);
        using var encoder = ConstCl.Embedding.VideoEncoder.Load(Path.Combine(dir, "encoder.constcl"));
        Assert.Equal(ConstCl.Modeling.InputMode.FrameDifference, encoder.Options.Backbone.InputMode);
        var (bad, _, _) = Run("pretrain", "--synthetic", "--preset", "tiny", "--out", TempDirectory(), "--flip", "sideways");
        Assert.NotEqual(0, bad);
    }

    [Fact]
    public void SmallIsTheDefaultPresetAndCarriesItsRecipe()
    {
        var dir = TempDirectory();
        var (code, stdout, stderr) = Run("pretrain", "--synthetic", "--steps", "2", "--batch-size", "2", "--out", dir, "--log-every", "1");
        Assert.True(code == 0, stderr);
        var options = ConstCl.Training.PretrainingOptions.FromJson(File.ReadAllText(Path.Combine(dir, "options.json")));
        var small = ConstCl.Training.PretrainingOptions.Small;
        Assert.Equal(ConstCl.Training.PretrainingOptions.ModelToJson(small.Model), ConstCl.Training.PretrainingOptions.ModelToJson(options.Model));
        Assert.Equal(small.Augmentation, options.Augmentation);
        Assert.Equal((small.MinimumViewGap, small.Optimizer, small.PeakLearningRate), (options.MinimumViewGap, options.Optimizer, options.PeakLearningRate));
        Assert.Contains("loss/chance", stderr);                                  // the health diagnostics are on the progress line
        Assert.Contains("last batch:", stdout);
        var metrics = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"));
        Assert.Contains("diagnostics/positive_top1", metrics[0]);
        Assert.Contains("diagnostics/embedding_effective_rank", metrics[0]);
    }

    [Fact]
    public void OverridesReplaceOnlyWhatIsGiven()
    {
        var small = ConstCl.Training.PretrainingOptions.Small;
        Assert.Equal(small, Commands.PretrainCommand.ApplyOverrides(small, null, null, null, null, null, null, null));
        var sgd = Commands.PretrainCommand.ApplyOverrides(small, "rgb", null, 0, "independent", 0.1, "sgd", 0);
        Assert.Equal(ConstCl.Modeling.InputMode.Rgb, sgd.Model.Backbone.InputMode);
        Assert.Equal((0, ConstCl.Training.OptimizerKind.Sgd, 0.1, 0), (sgd.MinimumViewGap, sgd.Optimizer, sgd.PeakLearningRate, sgd.StallWarningSteps));
        Assert.Equal(ConstCl.Augmentation.FlipMode.Independent, sgd.Augmentation.FlipMode);
        Assert.Equal(small.Augmentation.ColorJitterProbability, sgd.Augmentation.ColorJitterProbability);

        // --dead-zone is in levels of 255 at the −1..1 input range; RGB input drops it, and asking for both is refused.
        var deadZone = Commands.PretrainCommand.ApplyOverrides(small, null, 8, null, null, null, null, null);
        Assert.Equal(16.0 / 255, deadZone.Model.Backbone.FrameDifferenceDeadZone, 12);
        Assert.Equal(0, Commands.PretrainCommand.ApplyOverrides(deadZone, "rgb", null, null, null, null, null, null).Model.Backbone.FrameDifferenceDeadZone);
        var ex = Assert.Throws<ArgumentException>(() => Commands.PretrainCommand.ApplyOverrides(small, "rgb", 4, null, null, null, null, null));
        Assert.Contains("--dead-zone 4 applies to frame differences only", ex.Message);

        // --reversed-negatives on|off sets the objective's switch; without it the preset's (off) stays.
        Assert.False(small.Objective.TimeReversedNegatives);
        var reversed = Commands.PretrainCommand.ApplyOverrides(small, null, null, null, null, null, null, null, "on");
        Assert.True(reversed.Objective.TimeReversedNegatives);
        Assert.Equal(small.Objective.LocalWeight, reversed.Objective.LocalWeight);
        Assert.False(Commands.PretrainCommand.ApplyOverrides(reversed, null, null, null, null, null, null, null, "off").Objective.TimeReversedNegatives);
    }

    [Fact]
    public void Dead_zone_with_rgb_input_or_out_of_range_is_a_usage_error()
    {
        var (code, _, stderr) = Run("pretrain", "--synthetic", "--out", Path.Combine(Path.GetTempPath(), $"constcl-dz-{Guid.NewGuid():N}"), "--input", "rgb", "--dead-zone", "4");
        Assert.Equal(2, code);
        Assert.Contains("--dead-zone 4 applies to frame differences only", stderr);
        (code, _, stderr) = Run("pretrain", "--synthetic", "--out", Path.Combine(Path.GetTempPath(), $"constcl-dz-{Guid.NewGuid():N}"), "--dead-zone", "300");
        Assert.Equal(2, code);
        Assert.Contains("--dead-zone must be between 0 and 254; got 300.", stderr);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        lock (ConsoleGate)
        {
            var original = Console.Out;
            var originalError = Console.Error;
            using var writer = new StringWriter();
            using var error = new StringWriter();
            Console.SetOut(writer);
            Console.SetError(error);
            try
            {
                var code = Program.Run(args);
                return (code, writer.ToString(), error.ToString());
            }
            finally
            {
                Console.SetOut(original);
                Console.SetError(originalError);
            }
        }
    }
}

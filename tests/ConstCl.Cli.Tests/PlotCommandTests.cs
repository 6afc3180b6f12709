using System.CommandLine;
using ConstCl.Cli.Pictures;
using ConstCl.Training;

namespace ConstCl.Cli.Tests;

/// <summary><c>constcl plot --run DIR</c> and the metrics reader under it, on metrics written by <see cref="MetricsLogger"/>.</summary>
public sealed class PlotCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-plot-" + Guid.NewGuid().ToString("N"));

    public PlotCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Metrics_read_back_as_series_in_step_order_with_non_finite_values_and_a_cut_line_skipped()
    {
        string run = WriteRun(steps: 5);
        File.AppendAllText(Path.Combine(run, MetricsLogger.MetricsFileName), "{\"step\":6,\"loss/tot");     // a crash mid-line
        var history = MetricsHistory.Read(Path.Combine(run, MetricsLogger.MetricsFileName));
        var loss = history.Get("loss/total")!;
        Assert.Equal([1L, 2, 3, 4, 5], loss.Steps);
        Assert.Equal(4.0 / 2, loss.Values[1]);
        Assert.True(double.IsNaN(history.Get("diagnostics/positive_top1")!.Values[2]));   // written as "NaN"
        Assert.Null(history.Get("step"));
        Assert.NotNull(history.Get("wall_time"));
        Assert.Null(history.Get("not/logged"));
    }

    [Fact]
    public void Plot_draws_the_curves_of_a_run_folder_and_refuses_a_folder_without_metrics()
    {
        string run = WriteRun(steps: 30);
        var (code, stdout, stderr) = Run("plot", "--run", run);
        Assert.True(code == 0, stderr);
        Assert.Contains("30 logged steps", stdout, StringComparison.Ordinal);
        Assert.Equal((TrainingCurvesPlot.Width, TrainingCurvesPlot.Height), PictureAssert.DecodesAsPng(Path.Combine(run, TrainingCurvesPlot.FileName)));

        string other = Path.Combine(_root, "pictures", "mine.png");
        Assert.Equal(0, Run("plot", "--run", run, "--out", other).Code);
        PictureAssert.DecodesAsPng(other);

        var (missing, _, missingErr) = Run("plot", "--run", Path.Combine(_root, "nothing"));
        Assert.Equal(1, missing);
        Assert.Contains("metrics.jsonl", missingErr, StringComparison.Ordinal);
    }

    /// <summary>A run folder whose metrics hold <paramref name="steps"/> steps of falling loss and rising diagnostics (step 3's top-1 NaN).</summary>
    private string WriteRun(int steps)
    {
        string run = Path.Combine(_root, "run");
        using var logger = new MetricsLogger(run);
        for (int s = 1; s <= steps; s++)
        {
            logger.Log(s,
            [
                new("loss/total", 4.0 / s), new("loss/global", 3.9 / s), new("loss/local", 0.1 / s), new("learning_rate", 0.01 * s / steps),
                new("diagnostics/global_loss_to_chance", 1.0 / s), new("diagnostics/positive_top1", s == 3 ? double.NaN : s / (double)steps),
                new("diagnostics/embedding_mean_cosine", 0.5), new("diagnostics/projection_effective_rank", s), new("diagnostics/embedding_effective_rank", 2 * s),
            ]);
        }

        return run;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);
}

using System.CommandLine;
using ConstCl.Cli.Pictures;
using ConstCl.Training;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl plot --run DIR [--out FILE.png]</c>: draws the training curves (<see cref="TrainingCurvesPlot"/>) of a
/// pre-training run folder from its <c>metrics.jsonl</c>, also while the run is going on (the file is appended per
/// logged step) or after it was stopped. <c>pretrain</c> draws the same picture at its end.
/// </summary>
internal static class PlotCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var run = new Option<string>("--run") { Description = "A pre-training run folder (the --out of pretrain), holding metrics.jsonl.", Required = true };
        var output = new Option<string?>("--out") { Description = $"The PNG to write (default: {TrainingCurvesPlot.FileName} in the run folder)." };
        var command = new Command("plot", "Draw the loss, learning-rate and diagnostics curves of a pre-training run as a PNG.") { run, output };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            string folder = Path.GetFullPath(parse.GetValue(run)!);
            string metrics = Path.Combine(folder, MetricsLogger.MetricsFileName);
            if (!File.Exists(metrics))
            {
                throw new CommandException(ExitCodes.Failure, $"'{metrics}' not found; --run must be the --out folder of a pretrain run.");
            }

            string target = Path.GetFullPath(parse.GetValue(output) ?? Path.Combine(folder, TrainingCurvesPlot.FileName));
            OutputLocation.EnsureFileWritable(target, "--out");
            var history = MetricsHistory.Read(metrics);
            if (history.Get("loss/total") is null)
            {
                throw new CommandException(ExitCodes.Failure, $"'{metrics}' holds no logged step yet.");
            }

            TrainingCurvesPlot.Write(target, history, Path.GetFileName(folder));
            stdout.WriteLine($"Wrote {target} ({history.Get("loss/total")!.Steps.Length} logged steps).");
            return 0;
        });
        return command;
    }
}

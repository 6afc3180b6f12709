using ConstCl.Training;
using ScottPlot;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// <c>curves.png</c> of a pre-training run, drawn from its <c>metrics.jsonl</c>: four panels against the step — the losses
/// (total, global, local), the learning rate, the health fractions (global loss ÷ chance with the chance line at 1,
/// positive top-1, mean embedding cosine) and the effective ranks of the projections and embeddings. A panel whose
/// scalars the run did not log says so; non-finite values (skipped steps) are left out of the lines.
/// </summary>
internal static class TrainingCurvesPlot
{
    /// <summary>File name of the picture, beside <c>metrics.jsonl</c>.</summary>
    internal const string FileName = "curves.png";

    /// <summary>Picture width in pixels.</summary>
    internal const int Width = 1400;

    /// <summary>Picture height in pixels.</summary>
    internal const int Height = 900;

    private static readonly (string Title, string YLabel, string[] Fields)[] Panels =
    [
        ("loss", "loss", ["loss/total", "loss/global", "loss/local"]),
        ("learning rate", "learning rate", ["learning_rate"]),
        ("health: ≈ 1 is chance / collapse", "fraction", ["diagnostics/global_loss_to_chance", "diagnostics/positive_top1", "diagnostics/embedding_mean_cosine"]),
        ("effective rank (higher: more directions used)", "rank", ["diagnostics/projection_effective_rank", "diagnostics/embedding_effective_rank"]),
    ];

    /// <summary>Draws the curves of <paramref name="history"/> to <paramref name="path"/> atomically.</summary>
    internal static void Write(string path, MetricsHistory history, string title)
    {
        var multiplot = new ScottPlot.Multiplot();
        multiplot.AddPlots(Panels.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows: 2, columns: 2);
        for (int p = 0; p < Panels.Length; p++)
        {
            var (panelTitle, yLabel, fields) = Panels[p];
            var plot = multiplot.GetPlot(p);
            plot.Title(p == 0 ? $"{title}: {panelTitle}" : panelTitle);
            plot.XLabel("step");
            plot.YLabel(yLabel);
            int drawn = 0;
            foreach (string field in fields)
            {
                if (history.Get(field) is not { } series)
                {
                    continue;
                }

                var finite = Enumerable.Range(0, series.Values.Length).Where(i => double.IsFinite(series.Values[i])).ToArray();
                if (finite.Length == 0)
                {
                    continue;
                }

                var line = plot.Add.Scatter(finite.Select(i => (double)series.Steps[i]).ToArray(), finite.Select(i => series.Values[i]).ToArray());
                line.LegendText = field;
                line.MarkerSize = finite.Length > 40 ? 0 : 4;
                line.LineWidth = 1.5f;
                drawn++;
            }

            if (drawn == 0)
            {
                plot.Add.Annotation($"not in metrics.jsonl: {string.Join(", ", fields)}");
                continue;
            }

            if (p == 2)
            {
                var chance = plot.Add.HorizontalLine(1);
                chance.LinePattern = ScottPlot.LinePattern.Dashed;
                chance.Color = ScottPlot.Colors.Gray;
                chance.LegendText = "chance (loss ÷ chance = 1)";
            }

            plot.ShowLegend();
        }

        Commands.Probe.ProbeFiles.WriteAtomically(path, tmp => multiplot.SavePng(tmp, Width, Height));
    }
}

using System.Globalization;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// Draws a confusion matrix as a PNG heat map with ScottPlot (headless, SkiaSharp underneath): rows = true class (first
/// class at the top), columns = predicted class, colour = the fraction of the true class's test videos (row-normalised,
/// so small classes are as visible as large ones). The canvas grows with the classes (<see cref="ConfusionMatrixLayout"/>),
/// so all 101 UCF101 class names stay on the axes.
/// </summary>
internal static class ConfusionMatrixPlot
{
    /// <summary>File name of the plot.</summary>
    internal const string FileName = "confusion.png";

    /// <summary>Writes the plot to <paramref name="path"/> atomically.</summary>
    internal static void Write(string path, ClassificationResult result, string title)
    {
        int n = result.ClassNames.Count;
        var layout = ConfusionMatrixLayout.For(result.ClassNames);
        var values = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            int support = result.ConfusionMatrix[t].Sum();
            for (int p = 0; p < n; p++)
            {
                values[t, p] = support > 0 ? (double)result.ConfusionMatrix[t][p] / support : double.NaN;
            }
        }

        var plot = new ScottPlot.Plot();
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heatmap);
        var labels = layout.Names ? result.ClassNames.ToArray() : Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var shown = Enumerable.Range(0, n).Where(i => i % layout.LabelStep == 0).ToArray();
        var shownLabels = shown.Select(i => labels[i]).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(shown.Select(i => (double)i).ToArray(), shownLabels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleRight;
        plot.Axes.Bottom.TickLabelStyle.FontSize = layout.FontSize;
        // Row 0 is drawn at the top: its centre is at y = n − 1.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(shown.Select(y => (double)(n - 1 - y)).ToArray(), shownLabels);
        plot.Axes.Left.TickLabelStyle.FontSize = layout.FontSize;
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.Axes.Margins(0, 0);
        plot.Axes.Bottom.MinimumSize = layout.LabelSpace + 30;     // room for the rotated class names and the axis label
        plot.Axes.Left.MinimumSize = layout.LabelSpace + 30;
        Commands.Probe.ProbeFiles.WriteAtomically(path, tmp => plot.SavePng(tmp, layout.Width, layout.Height));
    }
}

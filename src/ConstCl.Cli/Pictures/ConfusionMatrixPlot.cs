using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Commands.Probe;

/// <summary>
/// Draws a confusion matrix as a PNG heat map with ScottPlot (headless, SkiaSharp underneath): rows = true class (first
/// class at the top), columns = predicted class, colour = the fraction of the true class's test videos (row-normalised,
/// so small classes are as visible as large ones). Class names label the axes up to 60 classes; above that, class indices.
/// </summary>
internal static class ConfusionMatrixPlot
{
    /// <summary>File name of the plot.</summary>
    internal const string FileName = "confusion.png";

    /// <summary>Writes the plot to <paramref name="path"/> atomically.</summary>
    internal static void Write(string path, ClassificationResult result, string title)
    {
        int n = result.ClassNames.Count;
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
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var labels = n <= 60 ? result.ClassNames.ToArray() : Enumerable.Range(0, n).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        int step = n <= 60 ? 1 : (int)Math.Ceiling(n / 25.0);
        var shown = positions.Where((_, i) => i % step == 0).ToArray();
        var shownLabels = labels.Where((_, i) => i % step == 0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(shown, shownLabels);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -90;
        plot.Axes.Bottom.TickLabelStyle.Alignment = ScottPlot.Alignment.MiddleRight;
        // Row 0 is drawn at the top: its centre is at y = n − 1.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(shown.Select(y => n - 1 - y).ToArray(), shownLabels);
        plot.Title(title);
        plot.XLabel("predicted class");
        plot.YLabel("true class");
        plot.Axes.Margins(0, 0);
        int labelSpace = n <= 60 ? 8 * Math.Min(result.ClassNames.Max(s => s.Length), 30) : 40;
        plot.Axes.Bottom.MinimumSize = labelSpace + 30;     // room for the rotated class names and the axis label
        int side = Math.Clamp(n * 14, 360, 1600);
        ProbeFiles.WriteAtomically(path, tmp => plot.SavePng(tmp, side + labelSpace + 160, side + labelSpace + 80));
    }
}

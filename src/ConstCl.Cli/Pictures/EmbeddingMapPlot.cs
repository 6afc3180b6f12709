using System.Globalization;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// <c>embedding-map.png</c>: the embeddings of one probe split (training and test videos together) projected on their
/// two leading principal axes (<see cref="PrincipalComponents"/>), one colour per class (<see cref="ClassColors"/>);
/// training videos are filled dots, test videos open circles. Classes that form separate clouds here are easy for the
/// probe; the axis titles give the share of the variance each axis shows, so a map of 5 % is read with care.
/// </summary>
internal static class EmbeddingMapPlot
{
    /// <summary>File name of the picture.</summary>
    internal const string FileName = "embedding-map.png";

    /// <summary>Picture width in pixels.</summary>
    internal const int Width = 1000;

    /// <summary>Picture height in pixels.</summary>
    internal const int Height = 800;

    /// <summary>The legend lists the classes up to this many.</summary>
    internal const int MaxLegendClasses = 25;

    /// <summary>Projects and draws <paramref name="train"/> and <paramref name="test"/> to <paramref name="path"/> atomically.</summary>
    internal static void Write(string path, IReadOnlyList<LabeledEmbedding> train, IReadOnlyList<LabeledEmbedding> test, IReadOnlyList<string> classNames, string title)
    {
        var all = train.Concat(test).ToArray();
        var pca = PrincipalComponents.Project(all.Select(e => e.Vector).ToArray(), 2);
        var plot = new ScottPlot.Plot();
        int classes = classNames.Count;
        double Coordinate(int i, int c) => c < pca.Points[i].Length ? pca.Points[i][c] : 0;
        for (int c = 0; c < classes; c++)
        {
            var color = ClassColors.For(c, classes);
            foreach (var (from, count, shape, label) in new[] { (0, train.Count, ScottPlot.MarkerShape.FilledCircle, true), (train.Count, test.Count, ScottPlot.MarkerShape.OpenCircle, false) })
            {
                var members = Enumerable.Range(from, count).Where(i => all[i].ClassIndex == c).ToArray();
                if (members.Length == 0)
                {
                    continue;
                }

                var markers = plot.Add.Markers(members.Select(i => Coordinate(i, 0)).ToArray(), members.Select(i => Coordinate(i, 1)).ToArray(), shape, 7, color);
                if (label && classes <= MaxLegendClasses)
                {
                    markers.LegendText = classNames[c];
                }
            }
        }

        var ci = CultureInfo.InvariantCulture;
        plot.Title(string.Create(ci, $"{title}: {all.Length} embeddings, PCA (filled: train, open: test)"));
        plot.XLabel(string.Create(ci, $"PC 1 ({pca.ExplainedFraction(0) * 100:F1} % of the variance)"));
        plot.YLabel(pca.Axes.Length > 1 ? string.Create(ci, $"PC 2 ({pca.ExplainedFraction(1) * 100:F1} % of the variance)") : "PC 2 (none: D = 1)");
        if (classes <= MaxLegendClasses)
        {
            plot.ShowLegend(ScottPlot.Edge.Right);
        }

        Commands.Probe.ProbeFiles.WriteAtomically(path, tmp => plot.SavePng(tmp, Width, Height));
    }
}

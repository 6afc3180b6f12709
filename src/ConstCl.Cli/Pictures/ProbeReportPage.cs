using System.Globalization;
using System.Net;
using System.Text;
using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Pictures;

/// <summary>
/// <c>report.html</c> of a probe run: one self-contained page (no scripts, no remote resources) with the numbers
/// (top-1, top-5, mean class accuracy, retrieval recall@k, the per-class table) and the pictures and files of the
/// folder, linked by relative paths so the folder can be moved or zipped. Only files that exist are linked. Written as
/// well-formed XHTML, so a test (or any XML reader) can parse it.
/// </summary>
internal static class ProbeReportPage
{
    /// <summary>File name of the page.</summary>
    internal const string FileName = "report.html";

    private static readonly (string File, string Caption)[] Pictures =
    [
        (ConfusionMatrixPlot.FileName, "Confusion matrix: row = true class, column = predicted class, colour = share of the true class's test videos."),
        (EmbeddingMapPlot.FileName, "Embedding map: the embeddings on their two leading principal axes, one colour per class (filled: train, open: test)."),
        (RetrievalView.FileName, "Retrieval: test videos (blue) and their nearest training videos by cosine similarity; green = same class, red = another."),
    ];

    private static readonly (string File, string What)[] DataFiles =
    [
        ("metrics.json", "the numbers"),
        ("per_class.csv", "per-class accuracy"),
        ("confusion.csv", "confusion counts"),
        ("protocol.md", "protocol card"),
        ("protocol.json", "protocol card, JSON"),
    ];

    /// <summary>Writes the page of one split into <paramref name="directory"/> (beside its other outputs).</summary>
    internal static void Write(string directory, string title, ClassificationResult result, IReadOnlyDictionary<int, double> recall)
    {
        var c = CultureInfo.InvariantCulture;
        var body = new StringBuilder();
        body.Append(c, $"<h1>{E(title)}</h1>\n");
        body.Append("<table class=\"numbers\">\n");
        Row(body, "method", result.Method);
        Row(body, "classes", result.ClassNames.Count.ToString(c));
        Row(body, "videos", string.Create(c, $"{result.TrainCount} train, {result.TestCount} test"));
        Row(body, "top-1", Percent(result.Top1));
        Row(body, "top-5", Percent(result.Top5));
        Row(body, "mean class accuracy", Percent(result.MeanClassAccuracy));
        foreach (var (k, value) in recall)
        {
            Row(body, string.Create(c, $"retrieval recall@{k}"), Percent(value));
        }

        body.Append("</table>\n");
        foreach (var (file, caption) in Pictures.Where(p => File.Exists(Path.Combine(directory, p.File))))
        {
            body.Append(c, $"<figure><a href=\"{E(file)}\"><img src=\"{E(file)}\" alt=\"{E(file)}\" /></a><figcaption>{E(caption)}</figcaption></figure>\n");
        }

        body.Append("<h2>Files</h2>\n<ul>\n");
        foreach (var (file, what) in DataFiles.Where(f => File.Exists(Path.Combine(directory, f.File))))
        {
            body.Append(c, $"<li><a href=\"{E(file)}\">{E(file)}</a>: {E(what)}</li>\n");
        }

        body.Append("</ul>\n<h2>Per class</h2>\n<table class=\"classes\">\n<tr><th>class</th><th>test videos</th><th>top-1</th><th>top-5</th></tr>\n");
        foreach (var p in result.PerClass)
        {
            body.Append(c, $"<tr><td>{E(p.Name)}</td><td>{p.Support}</td><td>{Percent(p.Accuracy)}</td><td>{Percent(p.Top5Accuracy)}</td></tr>\n");
        }

        body.Append("</table>\n");
        Commands.Probe.ProbeFiles.WriteAllText(Path.Combine(directory, FileName), Page(title, body.ToString()));
    }

    /// <summary>Writes the page of a several-split run into <paramref name="directory"/>: the mean numbers and a link to each split's page.</summary>
    internal static void WriteIndex(string directory, string title, IReadOnlyList<(string Label, string RelativeReport, ClassificationResult Result)> splits)
    {
        var c = CultureInfo.InvariantCulture;
        var body = new StringBuilder();
        body.Append(c, $"<h1>{E(title)}</h1>\n<table class=\"numbers\">\n<tr><th>split</th><th>top-1</th><th>top-5</th><th>mean class accuracy</th></tr>\n");
        foreach (var (label, report, result) in splits)
        {
            body.Append(c, $"<tr><td><a href=\"{E(report)}\">split {E(label)}</a></td><td>{Percent(result.Top1)}</td><td>{Percent(result.Top5)}</td><td>{Percent(result.MeanClassAccuracy)}</td></tr>\n");
        }

        body.Append(c, $"<tr><td>mean</td><td>{Percent(splits.Average(s => s.Result.Top1))}</td><td>{Percent(splits.Average(s => s.Result.Top5))}</td><td>{Percent(splits.Average(s => s.Result.MeanClassAccuracy))}</td></tr>\n</table>\n");
        if (File.Exists(Path.Combine(directory, "summary.json")))
        {
            body.Append("<p><a href=\"summary.json\">summary.json</a>: the same numbers, with recall@k per split.</p>\n");
        }

        Commands.Probe.ProbeFiles.WriteAllText(Path.Combine(directory, FileName), Page(title, body.ToString()));
    }

    private static string Page(string title, string body) =>
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n"
        + $"<title>{E(title)}</title>\n"
        + "<style>body{font-family:sans-serif;max-width:1200px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}"
        + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}img{max-width:100%;border:1px solid #ddd}figure{margin:1.5em 0}</style>\n"
        + "</head>\n<body>\n" + body + "</body>\n</html>\n";

    private static void Row(StringBuilder body, string name, string value) => body.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>\n");

    private static string Percent(double v) => double.IsNaN(v) ? "-" : (v * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}

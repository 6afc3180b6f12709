using System.Globalization;
using System.Text;
using System.Text.Json;
using ConstCl.Datasets;
using ConstCl.IO;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// Writes a probe's results into a folder, each file atomically (temporary file, then rename): <c>metrics.json</c>,
/// <c>per_class.csv</c>, <c>confusion.csv</c>, <c>protocol.json</c> and <c>protocol.md</c>.
/// </summary>
public static class ProbeReport
{
    /// <summary>File name of the metrics.</summary>
    public const string MetricsFile = "metrics.json";

    /// <summary>File name of the per-class table.</summary>
    public const string PerClassFile = "per_class.csv";

    /// <summary>File name of the confusion matrix (rows = true class, columns = predicted class).</summary>
    public const string ConfusionFile = "confusion.csv";

    /// <summary>File name of the protocol card (JSON).</summary>
    public const string ProtocolJsonFile = "protocol.json";

    /// <summary>File name of the protocol card (Markdown).</summary>
    public const string ProtocolMarkdownFile = "protocol.md";

    /// <summary>Writes the five files into <paramref name="directory"/> (created when missing); returns their paths.</summary>
    /// <param name="directory">Output folder.</param>
    /// <param name="result">The measured result.</param>
    /// <param name="card">How it was measured.</param>
    public static IReadOnlyList<string> Write(string directory, ClassificationResult result, ProtocolCard card)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(card);
        string dir = Path.GetFullPath(directory);
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        void Put(string name, string text)
        {
            string path = Path.Combine(dir, name);
            AtomicFile.WriteAllText(path, text);
            written.Add(path);
        }

        Put(MetricsFile, MetricsJson(result));
        Put(PerClassFile, PerClassCsv(result));
        Put(ConfusionFile, ConfusionCsv(result));
        Put(ProtocolJsonFile, card.ToJson());
        Put(ProtocolMarkdownFile, card.ToMarkdown());
        return written;
    }

    /// <summary><c>{"top1","top5","meanClassAccuracy","classes","train","test","method","settings","perClass":[…]}</c>.</summary>
    internal static string MetricsJson(ClassificationResult r) => JsonSerializer.Serialize(
        new
        {
            top1 = r.Top1,
            top5 = r.Top5,
            meanClassAccuracy = r.MeanClassAccuracy,
            classes = r.ClassNames.Count,
            train = r.TrainCount,
            test = r.TestCount,
            method = r.Method,
            settings = r.Settings.ToDictionary(kv => kv.Key, kv => kv.Value),
            perClass = r.PerClass,
        },
        ProtocolCard.JsonOptions);

    /// <summary><c>class_index,class,support,correct,accuracy,top5_accuracy</c>, one row per class.</summary>
    internal static string PerClassCsv(ClassificationResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("class_index,class,support,correct,accuracy,top5_accuracy\n");
        foreach (var p in r.PerClass)
        {
            sb.Append(c, $"{p.ClassIndex},{Csv.Escape(p.Name)},{p.Support},{p.Correct},{Number(p.Accuracy)},{Number(p.Top5Accuracy)}\n");
        }

        return sb.ToString();
    }

    /// <summary>Header <c>true\predicted,&lt;class…&gt;</c>, then one row per true class: its name and the counts.</summary>
    internal static string ConfusionCsv(ClassificationResult r)
    {
        var sb = new StringBuilder("true\\predicted");
        foreach (var name in r.ClassNames)
        {
            sb.Append(',').Append(Csv.Escape(name));
        }

        sb.Append('\n');
        for (int t = 0; t < r.ClassNames.Count; t++)
        {
            sb.Append(Csv.Escape(r.ClassNames[t]));
            foreach (int count in r.ConfusionMatrix[t])
            {
                sb.Append(',').Append(count.ToString(CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Number(double v) => double.IsNaN(v) ? string.Empty : v.ToString("R", CultureInfo.InvariantCulture);
}

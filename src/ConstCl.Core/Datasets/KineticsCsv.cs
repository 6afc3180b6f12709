using System.Globalization;
using System.Text;

namespace ConstCl.Datasets;

/// <summary>
/// Reads Kinetics-style annotation CSVs (header <c>label,youtube_id,time_start,time_end,split</c>; extra
/// columns such as <c>is_cc</c> are ignored; <c>label</c> may be absent, as in test files). Each row maps
/// to a file through <see cref="KineticsCsvOptions.PathTemplate"/>, by default
/// <c>&lt;root&gt;/&lt;split&gt;/&lt;label&gt;/&lt;youtube_id&gt;_&lt;start:000000&gt;_&lt;end:000000&gt;.mp4</c>, and the entry carries
/// the segment times. Rows whose video is missing are listed in the report.
/// </summary>
public static class KineticsCsv
{
    /// <summary>Loads the rows of a Kinetics CSV whose videos exist under <paramref name="videoRoot"/>.</summary>
    /// <param name="csvPath">The annotation CSV.</param>
    /// <param name="videoRoot">Folder the path template is relative to.</param>
    /// <param name="options">Template, split filter and class list; null for defaults.</param>
    /// <exception cref="DatasetFormatException">A malformed header or row (the message names file and line).</exception>
    public static VideoDataset Load(string csvPath, string videoRoot, KineticsCsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(csvPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(videoRoot);
        options ??= new KineticsCsvOptions();
        string file = Path.GetFullPath(csvPath);
        string root = Path.GetFullPath(videoRoot);
        using IEnumerator<CsvRecord> records = Csv.ReadRecords(TextLines.Read(file), file).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new DatasetFormatException(file, 0, "empty file; expected a header 'label,youtube_id,time_start,time_end,split'.");
        }

        CsvRecord headerLine = records.Current;
        List<string> header = headerLine.Fields;
        Dictionary<string, int> col = Csv.HeaderIndex(header, file, headerLine.Number);
        foreach (string required in new[] { "youtube_id", "time_start", "time_end" })
        {
            if (!col.ContainsKey(required))
            {
                throw new DatasetFormatException(file, headerLine.Number, $"header has no '{required}' column; expected 'label,youtube_id,time_start,time_end,split', got '{headerLine.Text}'.");
            }
        }

        int labelCol = col.GetValueOrDefault("label", -1);
        int splitCol = col.GetValueOrDefault("split", -1);
        if (options.Split is not null && splitCol < 0)
        {
            throw new DatasetFormatException(file, headerLine.Number, $"a split filter '{options.Split}' was given but the header has no 'split' column.");
        }

        var rows = new List<(VideoEntry Entry, string Templated, int Line)>();
        while (records.MoveNext())
        {
            CsvRecord line = records.Current;
            List<string> f = line.Fields;
            if (f.Count != header.Count)
            {
                throw new DatasetFormatException(file, line.Number, $"expected {header.Count} fields like the header, got {f.Count}.");
            }

            string split = splitCol >= 0 ? f[splitCol].Trim() : string.Empty;
            if (options.Split is not null && !string.Equals(split, options.Split, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string youtubeId = f[col["youtube_id"]].Trim();
            if (youtubeId.Length == 0)
            {
                throw new DatasetFormatException(file, line.Number, "empty youtube_id.");
            }

            double start = ParseSeconds(f[col["time_start"]], "time_start", file, line.Number);
            double end = ParseSeconds(f[col["time_end"]], "time_end", file, line.Number);
            if (end < start)
            {
                throw new DatasetFormatException(file, line.Number, $"time_end ({end}) is before time_start ({start}).");
            }

            string label = labelCol >= 0 ? f[labelCol].Trim() : string.Empty;
            string relative = ExpandTemplate(options.PathTemplate, label, youtubeId, start, end, split, file, line.Number);
            string templated = Path.GetFullPath(Path.Combine(root, relative));
            string path = ResolveExisting(templated, options.AlternativeExtensions);
            rows.Add((new VideoEntry(path, label.Length == 0 ? null : label) { TimeStart = start, TimeEnd = end }, templated, line.Number));
        }

        IReadOnlyList<string> classes = options.ClassNames
            ?? rows.Select(r => r.Entry.Label).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
        {
            index[classes[i]] = i;
        }

        var builder = new DatasetBuilder();
        foreach ((VideoEntry entry, _, int lineNumber) in rows)
        {
            int? k = null;
            if (entry.Label is not null)
            {
                k = index.TryGetValue(entry.Label, out int found)
                    ? found
                    : throw new DatasetFormatException(file, lineNumber, $"label '{entry.Label}' is not one of the {classes.Count} given class names.");
            }

            builder.Add(entry with { ClassIndex = k }, file, lineNumber);
        }

        string name = options.Split is null ? $"Kinetics CSV {Path.GetFileName(file)}" : $"Kinetics CSV {Path.GetFileName(file)} ({options.Split})";
        return builder.Build(name, file, classes);
    }

    /// <summary>Fills the path template for one row (see <see cref="KineticsCsvOptions.PathTemplate"/>).</summary>
    internal static string ExpandTemplate(string template, string label, string youtubeId, double start, double end, string split, string file, int line)
    {
        var sb = new StringBuilder();
        int i = 0;
        while (i < template.Length)
        {
            int open = template.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }

            int close = template.IndexOf('}', open);
            if (close < 0)
            {
                throw new ArgumentException($"Path template '{template}' has an unclosed '{{'.", nameof(template));
            }

            sb.Append(template, i, open - i);
            string key = template[(open + 1)..close];
            string value = key switch
            {
                "label" => label,
                "label_underscored" => label.Replace(' ', '_'),
                "youtube_id" => youtubeId,
                "time_start" => FormatSeconds(start),
                "time_end" => FormatSeconds(end),
                "split" => split,
                _ => throw new ArgumentException($"Path template '{template}' has an unknown placeholder '{{{key}}}'; known: label, label_underscored, youtube_id, time_start, time_end, split.", nameof(template)),
            };
            if (value.Length == 0)
            {
                throw new DatasetFormatException(file, line, $"the path template needs '{key}', which is empty on this row.");
            }

            sb.Append(value);
            i = close + 1;
        }

        return sb.ToString();
    }

    /// <summary>Whole seconds as the downloader writes them (<c>%06d</c>); fractions keep their decimals.</summary>
    internal static string FormatSeconds(double seconds) =>
        seconds == Math.Floor(seconds)
            ? ((long)seconds).ToString("D6", CultureInfo.InvariantCulture)
            : seconds.ToString("000000.######", CultureInfo.InvariantCulture);

    private static double ParseSeconds(string text, string name, string file, int line) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= 0
            ? v
            : throw new DatasetFormatException(file, line, $"{name} must be a non-negative number of seconds, got '{text}'.");

    private static string ResolveExisting(string templated, IReadOnlyList<string> alternatives)
    {
        if (File.Exists(templated))
        {
            return templated;
        }

        foreach (string ext in alternatives)
        {
            string candidate = Path.ChangeExtension(templated, ext);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return templated;
    }
}

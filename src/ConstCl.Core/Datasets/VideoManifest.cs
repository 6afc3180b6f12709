using System.Globalization;
using System.Text;
using ConstCl.IO;

namespace ConstCl.Datasets;

/// <summary>
/// CSV manifest of videos: a header row naming the columns <c>path,label</c> (any order; <c>label</c> may
/// be absent or empty for unlabelled videos; optional <c>time_start,time_end</c> in seconds; other
/// columns are ignored), then one row per video. Relative paths resolve against the manifest's folder.
/// Fields holding commas or quotes are double-quoted, inner quotes doubled. UTF-8 (a BOM is accepted),
/// LF or CRLF line endings.
/// </summary>
public static class VideoManifest
{
    /// <summary>Reads a manifest.</summary>
    /// <param name="manifestPath">The CSV file.</param>
    /// <param name="classNames">
    /// Fixed class list (so train and test manifests share indices); a label outside it is an error.
    /// Null: the distinct labels in ordinal order.
    /// </param>
    /// <param name="checkFiles">Check that each listed file exists (missing ones go to the report).</param>
    /// <exception cref="DatasetFormatException">A malformed header or row (the message names file and line).</exception>
    public static VideoDataset Read(string manifestPath, IReadOnlyList<string>? classNames = null, bool checkFiles = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        string file = Path.GetFullPath(manifestPath);
        string baseDir = Path.GetDirectoryName(file)!;
        using IEnumerator<CsvRecord> records = Csv.ReadRecords(TextLines.Read(file), file).GetEnumerator();
        if (!records.MoveNext())
        {
            throw new DatasetFormatException(file, 0, "empty manifest; expected a header row 'path,label'.");
        }

        CsvRecord headerLine = records.Current;
        List<string> header = headerLine.Fields;
        Dictionary<string, int> col = Csv.HeaderIndex(header, file, headerLine.Number);
        if (!col.TryGetValue("path", out int pathCol))
        {
            throw new DatasetFormatException(file, headerLine.Number, $"header has no 'path' column; expected 'path,label', got '{headerLine.Text}'.");
        }

        int labelCol = col.GetValueOrDefault("label", -1);
        int startCol = col.GetValueOrDefault("time_start", -1);
        int endCol = col.GetValueOrDefault("time_end", -1);

        var rows = new List<(VideoEntry Entry, int Line)>();
        while (records.MoveNext())
        {
            CsvRecord line = records.Current;
            List<string> f = line.Fields;
            if (f.Count != header.Count)
            {
                throw new DatasetFormatException(file, line.Number, $"expected {header.Count} fields like the header, got {f.Count} (quote fields that contain commas).");
            }

            string raw = f[pathCol].Trim();
            if (raw.Length == 0)
            {
                throw new DatasetFormatException(file, line.Number, "empty path.");
            }

            string label = labelCol >= 0 ? f[labelCol].Trim() : string.Empty;
            var entry = new VideoEntry(ResolvePath(baseDir, raw), label.Length == 0 ? null : label)
            {
                TimeStart = ParseTime(f, startCol, "time_start", file, line.Number),
                TimeEnd = ParseTime(f, endCol, "time_end", file, line.Number),
            };
            rows.Add((entry, line.Number));
        }

        IReadOnlyList<string> classes = classNames
            ?? rows.Select(r => r.Entry.Label).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < classes.Count; i++)
        {
            index[classes[i]] = i;
        }

        var builder = new DatasetBuilder(checkFiles);
        foreach ((VideoEntry entry, int lineNumber) in rows)
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

        return builder.Build($"manifest {file}", file, classes);
    }

    /// <summary>
    /// Writes a manifest atomically (temporary file in the same folder, then rename). Paths under the
    /// manifest's folder are written relative to it with '/' separators when <paramref name="relativePaths"/>
    /// is set; others are written absolute. <c>time_start,time_end</c> columns are added when any entry has them.
    /// </summary>
    /// <param name="manifestPath">The CSV file to create or replace.</param>
    /// <param name="entries">Videos to list, in order.</param>
    /// <param name="relativePaths">Write paths under the manifest's folder relative to it.</param>
    public static void Write(string manifestPath, IEnumerable<VideoEntry> entries, bool relativePaths = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);
        ArgumentNullException.ThrowIfNull(entries);
        string file = Path.GetFullPath(manifestPath);
        string dir = Path.GetDirectoryName(file)!;
        Directory.CreateDirectory(dir);
        VideoEntry[] list = entries.ToArray();
        bool times = list.Any(e => e.TimeStart is not null || e.TimeEnd is not null);

        var sb = new StringBuilder();
        sb.Append(times ? "path,label,time_start,time_end\n" : "path,label\n");
        foreach (VideoEntry e in list)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(e.Path, nameof(entries));
            string full = Path.GetFullPath(e.Path);
            string rel = Path.GetRelativePath(dir, full);
            bool inside = relativePaths && !Path.IsPathRooted(rel) && rel != ".." && !rel.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            string written = inside ? rel.Replace(Path.DirectorySeparatorChar, '/') : full;
            sb.Append(Csv.Escape(written)).Append(',').Append(Csv.Escape(e.Label ?? string.Empty));
            if (times)
            {
                sb.Append(',').Append(FormatTime(e.TimeStart)).Append(',').Append(FormatTime(e.TimeEnd));
            }

            sb.Append('\n');
        }

        AtomicFile.WriteAllText(file, sb.ToString());
    }

    private static string ResolvePath(string baseDir, string raw)
    {
        if (Path.DirectorySeparatorChar == '/')
        {
            // Manifests written on Windows: '\' is a separator there, never part of a name we expect.
            raw = raw.Replace('\\', '/');
        }

        return Path.GetFullPath(Path.IsPathRooted(raw) ? raw : Path.Combine(baseDir, raw));
    }

    private static double? ParseTime(List<string> fields, int col, string name, string file, int line)
    {
        if (col < 0 || fields[col].Trim().Length == 0)
        {
            return null;
        }

        return double.TryParse(fields[col].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= 0
            ? v
            : throw new DatasetFormatException(file, line, $"{name} must be a non-negative number of seconds, got '{fields[col]}'.");
    }

    private static string FormatTime(double? t) => t is double v ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}

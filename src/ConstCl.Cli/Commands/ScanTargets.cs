using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Expands the arguments of <c>constcl scan</c> into videos: a video file; a folder, searched recursively for video
/// files and for frame folders (folders holding images and no videos); a CSV manifest (header <c>path,label</c>,
/// relative paths against the manifest's folder). A path that does not exist is kept, so it is reported as missing.
/// </summary>
internal static class ScanTargets
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    /// <summary>The videos named by <paramref name="arguments"/>, in argument order, folders sorted by path.</summary>
    /// <exception cref="FormatException">A manifest has no <c>path</c> column.</exception>
    public static List<string> Expand(IEnumerable<string> arguments)
    {
        var list = new List<string>();
        foreach (var arg in arguments)
        {
            if (File.Exists(arg) && string.Equals(Path.GetExtension(arg), ".csv", StringComparison.OrdinalIgnoreCase))
            {
                list.AddRange(ReadManifest(arg));
            }
            else if (Directory.Exists(arg))
            {
                AddFolder(arg, list);
            }
            else
            {
                list.Add(arg);
            }
        }

        return list;
    }

    /// <summary>Paths of a CSV manifest with header <c>path,label</c> (further columns allowed, quotes understood).</summary>
    public static IEnumerable<string> ReadManifest(string manifest)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(manifest))!;
        using var reader = new StreamReader(manifest);
        string? header = reader.ReadLine();
        var columns = header is null ? [] : SplitCsv(header).Select(c => c.Trim().ToLowerInvariant()).ToList();
        int pathColumn = columns.IndexOf("path");
        if (pathColumn < 0)
        {
            throw new FormatException($"{manifest}: the first line must be a header with a 'path' column (expected 'path,label'), found '{header}'.");
        }

        var result = new List<string>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = SplitCsv(line);
            string path = pathColumn < fields.Count ? fields[pathColumn].Trim() : string.Empty;
            if (path.Length > 0)
            {
                result.Add(Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path)));
            }
        }

        return result;
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting: <c>"a,b"</c>, doubled quotes inside quotes).</summary>
    public static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        fields.Add(current.ToString());
        return fields;
    }

    private static void AddFolder(string folder, List<string> list)
    {
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).ToArray();
        var videos = files.Where(f => VideoReader.VideoExtensions.Contains(Path.GetExtension(f))).ToArray();
        if (videos.Length == 0 && files.Any(f => ImageExtensions.Contains(Path.GetExtension(f))))
        {
            list.Add(folder); // a frame folder is one video
            return;
        }

        list.AddRange(videos);
        foreach (var sub in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            AddFolder(sub, list);
        }
    }
}

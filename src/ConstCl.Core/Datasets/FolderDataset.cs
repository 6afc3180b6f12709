namespace ConstCl.Datasets;

/// <summary>
/// Reads a folder-per-class layout: <c>&lt;root&gt;/&lt;class&gt;/*.&lt;video extension&gt;</c>. Classes are the
/// sub-folders holding at least one video, in ordinal order; hidden folders (starting with '.') are skipped.
/// </summary>
public static class FolderDataset
{
    /// <summary>File extensions treated as videos when none are given.</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } =
        [".avi", ".mp4", ".mkv", ".webm", ".mov", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp"];

    /// <summary>Loads every video one level below each class folder.</summary>
    /// <param name="root">Folder holding one sub-folder per class.</param>
    /// <param name="extensions">Video extensions with the dot (case-insensitive); null for <see cref="DefaultExtensions"/>.</param>
    public static VideoDataset Load(string root, IEnumerable<string>? extensions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        root = Path.GetFullPath(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Dataset folder not found: '{root}'.");
        }

        var ext = new HashSet<string>((extensions ?? DefaultExtensions).Select(e => e.StartsWith('.') ? e : "." + e), StringComparer.OrdinalIgnoreCase);
        var perClass = new List<(string Name, string[] Files)>();
        foreach (string dir in Directory.GetDirectories(root).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith('.'))
            {
                continue;
            }

            string[] files = Directory.GetFiles(dir)
                .Where(f => ext.Contains(Path.GetExtension(f)))
                .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal)
                .ToArray();
            if (files.Length > 0)
            {
                perClass.Add((name, files));
            }
        }

        var builder = new DatasetBuilder();
        for (int c = 0; c < perClass.Count; c++)
        {
            foreach (string file in perClass[c].Files)
            {
                builder.Add(new VideoEntry(file, perClass[c].Name, c), null, null);
            }
        }

        return builder.Build($"folder {root}", root, perClass.Select(p => p.Name).ToArray());
    }
}

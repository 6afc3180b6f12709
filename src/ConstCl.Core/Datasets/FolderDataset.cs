namespace ConstCl.Datasets;

/// <summary>
/// Reads a folder-per-class layout: <c>&lt;root&gt;/&lt;class&gt;/…/*.&lt;video extension&gt;</c>. Classes are the
/// sub-folders of the root holding at least one video, in ordinal order. Each class folder is searched at any depth:
/// a nested folder of frame images (and no video files) is one frame-folder video, any other nested folder is searched
/// in turn, so a video is labelled by the top-level folder it sits under. Hidden folders (starting with '.') are
/// skipped; a video directly under the root, outside every class folder, is reported, not loaded.
/// </summary>
public static class FolderDataset
{
    /// <summary>File extensions treated as videos when none are given.</summary>
    public static IReadOnlyList<string> DefaultExtensions { get; } =
        [".avi", ".mp4", ".mkv", ".webm", ".mov", ".m4v", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp"];

    /// <summary>Loads every video under each class folder (nested sub-folders included).</summary>
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
        var builder = new DatasetBuilder();
        foreach (string loose in Directory.GetFiles(root).Where(f => ext.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal))
        {
            builder.Reject(loose, DatasetIssueKind.OutsideClassFolder, "a video directly under the dataset folder has no class; move it into a class folder");
        }

        var perClass = new List<(string Name, List<string> Videos)>();
        foreach (string dir in Directory.GetDirectories(root).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (name.StartsWith('.'))
            {
                continue;
            }

            var videos = new List<string>();
            if (!Collect(dir, ext, videos) && DatasetBuilder.IsFrameFolder(dir))
            {
                // <root>/<video>/img_00001.jpg: frame folders without class folders above them.
                builder.Reject(dir, DatasetIssueKind.OutsideClassFolder, "a frame folder directly under the dataset folder has no class; move it into a class folder");
            }

            if (videos.Count > 0)
            {
                perClass.Add((name, videos));
            }
        }

        for (int c = 0; c < perClass.Count; c++)
        {
            foreach (string video in perClass[c].Videos)
            {
                builder.Add(new VideoEntry(video, perClass[c].Name, c), null, null);
            }
        }

        return builder.Build($"folder {root}", root, perClass.Select(p => p.Name).ToArray());
    }

    /// <summary>Adds the videos under <paramref name="folder"/> in ordinal path order; false when it holds none.</summary>
    private static bool Collect(string folder, HashSet<string> ext, List<string> videos)
    {
        int before = videos.Count;
        var items = Directory.GetFiles(folder).Where(f => ext.Contains(Path.GetExtension(f)))
            .Select(f => (Path: f, IsFolder: false))
            .Concat(Directory.GetDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Select(d => (Path: d, IsFolder: true)))
            .OrderBy(i => Path.GetFileName(i.Path), StringComparer.Ordinal);
        foreach (var (path, isFolder) in items)
        {
            if (!isFolder)
            {
                videos.Add(path);
            }
            else if (!Collect(path, ext, videos) && DatasetBuilder.IsFrameFolder(path))
            {
                videos.Add(path); // a folder of frame images and no videos is one video
            }
        }

        return videos.Count > before;
    }
}

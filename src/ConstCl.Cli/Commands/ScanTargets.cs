using ConstCl.Datasets;
using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Expands the arguments of <c>constcl scan</c> into videos: a video file; a folder, searched recursively for video
/// files and for frame folders (folders holding images and no videos); a CSV manifest (header <c>path,label</c>,
/// relative paths against the manifest's folder). Nothing given is dropped: a path that does not exist is kept, so it
/// is reported as missing; a folder holding no video is kept, so it is reported as empty; a manifest's repeated
/// listings (scanned once) and a manifest without rows are reported on stderr.
/// </summary>
internal static class ScanTargets
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".bmp" };

    /// <summary>The videos named by <paramref name="arguments"/>, in argument order, folders sorted by path.</summary>
    /// <param name="arguments">The paths given on the command line.</param>
    /// <param name="notes">Where listings of a manifest that are not scanned are reported (stderr).</param>
    /// <exception cref="FormatException">A manifest has no <c>path</c> column.</exception>
    public static List<string> Expand(IEnumerable<string> arguments, TextWriter notes)
    {
        var list = new List<string>();
        foreach (var arg in arguments)
        {
            if (File.Exists(arg) && string.Equals(Path.GetExtension(arg), ".csv", StringComparison.OrdinalIgnoreCase))
            {
                list.AddRange(ReadManifest(arg, notes));
            }
            else if (Directory.Exists(arg))
            {
                int before = list.Count;
                AddFolder(arg, list);
                if (list.Count == before)
                {
                    list.Add(arg); // scanned as a folder, it is reported as holding no video
                }
            }
            else
            {
                list.Add(arg);
            }
        }

        return list;
    }

    /// <summary>True when <paramref name="folder"/> holds frame images (and is therefore one frame-folder video).</summary>
    public static bool IsFrameFolder(string folder) =>
        Directory.EnumerateFiles(folder).Any(f => ImageExtensions.Contains(Path.GetExtension(f)));

    /// <summary>Paths of a CSV manifest with header <c>path,label</c> (relative paths against the manifest's folder).
    /// Listed files are returned whether or not they exist: the scan reports the missing ones.</summary>
    private static IEnumerable<string> ReadManifest(string manifest, TextWriter notes)
    {
        var dataset = VideoManifest.Read(manifest, checkFiles: false);
        if (dataset.Report.Listed == 0)
        {
            notes.WriteLine($"constcl scan: {dataset.Name} lists no videos.");
        }

        foreach (var issue in dataset.Report.Issues)
        {
            notes.WriteLine($"constcl scan: {issue}");
        }

        return dataset.Entries.Select(e => e.Path);
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

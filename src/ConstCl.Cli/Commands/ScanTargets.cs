using ConstCl.Datasets;
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

    /// <summary>Paths of a CSV manifest with header <c>path,label</c> (relative paths against the manifest's folder).
    /// Listed files are returned whether or not they exist: the scan reports the missing ones.</summary>
    public static IEnumerable<string> ReadManifest(string manifest) =>
        VideoManifest.Read(manifest, checkFiles: false).Entries.Select(e => e.Path);

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

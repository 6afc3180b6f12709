using ConstCl.Video;

namespace ConstCl.Datasets;

/// <summary>
/// Collects listed videos, checks each file exists and is readable, drops repeats, and records every
/// video it leaves out so that <see cref="DatasetLoadReport"/> accounts for all of them.
/// </summary>
internal sealed class DatasetBuilder
{
    private readonly List<VideoEntry> _entries = [];
    private readonly List<DatasetIssue> _issues = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly bool _checkFiles;
    private int _listed;

    internal DatasetBuilder(bool checkFiles = true)
    {
        _checkFiles = checkFiles;
    }

    /// <summary>Adds one listed video; returns true when it was kept.</summary>
    internal bool Add(VideoEntry entry, string? sourceFile, int? lineNumber)
    {
        _listed++;
        if (!_seen.Add(entry.Path))
        {
            _issues.Add(new DatasetIssue(entry.Path, DatasetIssueKind.Duplicate, "listed again; the first listing is kept", sourceFile, lineNumber));
            return false;
        }

        if (_checkFiles && Check(entry.Path) is (DatasetIssueKind kind, string reason))
        {
            _issues.Add(new DatasetIssue(entry.Path, kind, reason, sourceFile, lineNumber));
            return false;
        }

        _entries.Add(entry);
        return true;
    }

    /// <summary>Counts a video the source names but the reader cannot use (e.g. one outside every class folder).</summary>
    internal void Reject(string path, DatasetIssueKind kind, string reason, string? sourceFile = null, int? lineNumber = null)
    {
        _listed++;
        _issues.Add(new DatasetIssue(path, kind, reason, sourceFile, lineNumber));
    }

    internal VideoDataset Build(string name, string source, IReadOnlyList<string> classNames) =>
        new(name, _entries.ToArray(), classNames, new DatasetLoadReport(source, _listed, _entries.Count, _issues.ToArray()));

    /// <summary>Null when the file can be opened for reading, or the folder is a frame folder; otherwise the issue kind and reason.</summary>
    internal static (DatasetIssueKind Kind, string Reason)? Check(string path)
    {
        if (Directory.Exists(path))
        {
            // The decoder reads a folder of frame images as one video, so such a folder is a valid listing.
            return IsFrameFolder(path)
                ? null
                : (DatasetIssueKind.Unreadable, "is a folder without frame images (.jpg, .jpeg, .png, .bmp); expected a video file or a frame folder");
        }

        if (!File.Exists(path))
        {
            return (DatasetIssueKind.Missing, "file not found");
        }

        try
        {
            // Opening (not decoding) catches permission problems without reading the video.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return (DatasetIssueKind.Unreadable, ex.Message);
        }
    }

    /// <summary>True when <paramref name="folder"/> holds at least one frame image (what <see cref="VideoReader"/> reads as a frame folder).</summary>
    internal static bool IsFrameFolder(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder).Any(f => FrameFolderSource.FrameExtensions.Contains(Path.GetExtension(f)));
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}

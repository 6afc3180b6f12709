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

    internal VideoDataset Build(string name, string source, IReadOnlyList<string> classNames) =>
        new(name, _entries.ToArray(), classNames, new DatasetLoadReport(source, _listed, _entries.Count, _issues.ToArray()));

    /// <summary>Null when the file can be opened for reading; otherwise the issue kind and reason.</summary>
    internal static (DatasetIssueKind Kind, string Reason)? Check(string path)
    {
        if (Directory.Exists(path))
        {
            return (DatasetIssueKind.Unreadable, "is a folder, expected a video file");
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
}

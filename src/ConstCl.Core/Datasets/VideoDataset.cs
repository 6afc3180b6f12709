namespace ConstCl.Datasets;

/// <summary>
/// A list of labelled videos with its class list and the report of what could not be loaded. Produced
/// by <see cref="Ucf101"/>, <see cref="Hmdb51"/>, <see cref="FolderDataset"/>, <see cref="VideoManifest"/>
/// and <see cref="KineticsCsv"/>. Readers never decode videos; they only check that listed files exist.
/// </summary>
public sealed class VideoDataset
{
    /// <summary>Creates a dataset and checks that each entry's class index matches its label.</summary>
    /// <param name="name">Short description, e.g. <c>UCF101 split 1 train</c>.</param>
    /// <param name="entries">The videos that were found.</param>
    /// <param name="classNames">Class names; <see cref="VideoEntry.ClassIndex"/> indexes this list.</param>
    /// <param name="report">What was listed and what was left out.</param>
    public VideoDataset(string name, IReadOnlyList<VideoEntry> entries, IReadOnlyList<string> classNames, DatasetLoadReport report)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(report);
        foreach (VideoEntry e in entries)
        {
            if (e.ClassIndex is int k && (k < 0 || k >= classNames.Count || !string.Equals(classNames[k], e.Label, StringComparison.Ordinal)))
            {
                throw new ArgumentException($"Entry '{e.Path}' has class index {k} and label '{e.Label}', which do not match the class list of {classNames.Count} names.", nameof(entries));
            }
        }

        Name = name;
        Entries = entries;
        ClassNames = classNames;
        Report = report;
    }

    /// <summary>Short description of the dataset and part, e.g. <c>UCF101 split 1 train</c>.</summary>
    public string Name { get; }

    /// <summary>The videos that exist, in listing order.</summary>
    public IReadOnlyList<VideoEntry> Entries { get; }

    /// <summary>Class names in class-index order.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Listed, loaded, and every video left out with its reason.</summary>
    public DatasetLoadReport Report { get; }

    /// <summary>Number of videos loaded.</summary>
    public int Count => Entries.Count;

    /// <summary>
    /// This dataset confined to <paramref name="dataRoot"/>: every video whose real path (symbolic links resolved, also
    /// in its folders) is not inside that folder is left out and recorded as <see cref="DatasetIssueKind.OutsideDataRoot"/>
    /// in the report. For services that read manifests written by others: without it, a manifest may name any path
    /// the process can read (absolute paths and <c>..</c> are allowed).
    /// </summary>
    /// <param name="dataRoot">The folder every video must lie in.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="dataRoot"/> is not a folder.</exception>
    public VideoDataset WithinDataRoot(string dataRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        if (!Directory.Exists(dataRoot))
        {
            throw new DirectoryNotFoundException($"The data root '{Path.GetFullPath(dataRoot)}' is not a folder.");
        }

        string root = PathContainment.RealPath(dataRoot);
        var kept = new List<VideoEntry>();
        var issues = new List<DatasetIssue>(Report.Issues);
        foreach (VideoEntry e in Entries)
        {
            string? real;
            try
            {
                real = PathContainment.RealPath(e.Path);
            }
            catch (IOException)
            {
                real = null;   // a link loop: never inside
            }

            if (real is not null && PathContainment.IsInside(root, real))
            {
                kept.Add(e);
            }
            else
            {
                issues.Add(new DatasetIssue(e.Path, DatasetIssueKind.OutsideDataRoot, $"outside the data root '{root}' (symbolic links resolved)", Report.Source));
            }
        }

        return new VideoDataset(Name, kept, ClassNames, new DatasetLoadReport(Report.Source, Report.Listed, kept.Count, issues));
    }

    /// <summary>Number of loaded videos per class, in class-index order.</summary>
    public int[] CountPerClass()
    {
        var counts = new int[ClassNames.Count];
        foreach (VideoEntry e in Entries)
        {
            if (e.ClassIndex is int k)
            {
                counts[k]++;
            }
        }

        return counts;
    }
}

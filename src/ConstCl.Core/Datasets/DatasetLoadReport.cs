using System.Text;

namespace ConstCl.Datasets;

/// <summary>
/// What happened while a dataset was read: how many videos its source listed, how many were kept, and
/// every one that was not (with the reason). Nothing is dropped silently.
/// </summary>
public sealed class DatasetLoadReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="source">The list, manifest or folder the dataset was read from.</param>
    /// <param name="listed">Number of videos the source named.</param>
    /// <param name="loaded">Number of videos kept.</param>
    /// <param name="issues">Every listed video that was not kept.</param>
    public DatasetLoadReport(string source, int listed, int loaded, IReadOnlyList<DatasetIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(issues);
        if (listed < 0 || loaded < 0 || loaded + issues.Count != listed)
        {
            throw new ArgumentException($"Inconsistent report for '{source}': listed {listed}, loaded {loaded}, issues {issues.Count} (loaded + issues must equal listed).");
        }

        Source = source;
        Listed = listed;
        Loaded = loaded;
        Issues = issues;
    }

    /// <summary>The list, manifest or folder the dataset was read from.</summary>
    public string Source { get; }

    /// <summary>Number of videos the source named.</summary>
    public int Listed { get; }

    /// <summary>Number of videos kept in the dataset.</summary>
    public int Loaded { get; }

    /// <summary>Every listed video that was not kept, in listing order.</summary>
    public IReadOnlyList<DatasetIssue> Issues { get; }

    /// <summary>Number of listed files that do not exist.</summary>
    public int MissingCount => Issues.Count(i => i.Kind == DatasetIssueKind.Missing);

    /// <summary>Number of listed paths that exist but cannot be read as files.</summary>
    public int UnreadableCount => Issues.Count(i => i.Kind == DatasetIssueKind.Unreadable);

    /// <summary>Number of repeated listings.</summary>
    public int DuplicateCount => Issues.Count(i => i.Kind == DatasetIssueKind.Duplicate);

    /// <summary>Number of videos of a folder dataset found outside every class folder.</summary>
    public int OutsideClassFolderCount => Issues.Count(i => i.Kind == DatasetIssueKind.OutsideClassFolder);

    /// <summary>Videos left out because they lie outside the data root (<see cref="VideoDataset.WithinDataRoot"/>).</summary>
    public int OutsideDataRootCount => Issues.Count(i => i.Kind == DatasetIssueKind.OutsideDataRoot);

    /// <summary>True when every listed video was kept.</summary>
    public bool IsComplete => Issues.Count == 0;

    /// <summary>A one-line summary followed by one line per issue.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(FormattableString.Invariant($"{Source}: {Loaded} of {Listed} videos loaded; {MissingCount} missing, {UnreadableCount} unreadable, {DuplicateCount} duplicate"));
        if (OutsideClassFolderCount > 0)
        {
            sb.Append(FormattableString.Invariant($", {OutsideClassFolderCount} outside class folders"));
        }

        sb.Append('.');
        foreach (DatasetIssue issue in Issues)
        {
            sb.AppendLine().Append("  ").Append(issue);
        }

        return sb.ToString();
    }
}

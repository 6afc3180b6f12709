using System.Globalization;
using ConstCl.Datasets;

namespace ConstCl.Cli.Commands;

/// <summary>
/// The load report of a dataset as every command prints it on stderr: one line with the counts, then the first few
/// listings that were not used, so no input is left out without a word.
/// </summary>
internal static class DatasetLoadSummary
{
    /// <summary>Issues printed in full; the rest are counted (the full list is where <c>fullList</c> says).</summary>
    internal const int IssuesShown = 5;

    /// <summary>Writes <c>PREFIX: NAME: N listed, N used; N missing, N unreadable, N duplicate[; FULL LIST]</c> and the first issues.</summary>
    /// <param name="error">The command's stderr.</param>
    /// <param name="prefix">The command's message prefix, e.g. <c>pretrain</c>.</param>
    /// <param name="dataset">The dataset (its name, e.g. <c>manifest /data/train.csv</c>, and its load report).</param>
    /// <param name="fullList">Where the full list of problems goes, printed when there are problems; null when nowhere but here.</param>
    /// <param name="used">What the kept videos are called (<c>used</c>, <c>to embed</c>).</param>
    internal static void Write(TextWriter error, string prefix, VideoDataset dataset, string? fullList, string used = "used")
    {
        DatasetLoadReport report = dataset.Report;
        var c = CultureInfo.InvariantCulture;
        string outside = (report.OutsideClassFolderCount > 0 ? string.Create(c, $", {report.OutsideClassFolderCount} outside class folders") : string.Empty)
            + (report.OutsideDataRootCount > 0 ? string.Create(c, $", {report.OutsideDataRootCount} outside --data-root") : string.Empty);
        string where = report.IsComplete || fullList is null ? string.Empty : $"; {fullList}";
        error.WriteLine(string.Create(c,
            $"{prefix}: {dataset.Name}: {report.Listed} listed, {report.Loaded} {used}; {report.MissingCount} missing, {report.UnreadableCount} unreadable, {report.DuplicateCount} duplicate{outside}{where}"));
        foreach (DatasetIssue issue in report.Issues.Take(IssuesShown))
        {
            error.WriteLine($"  {issue}");
        }

        if (report.Issues.Count > IssuesShown)
        {
            error.WriteLine(string.Create(c, $"  … and {report.Issues.Count - IssuesShown} more"));
        }
    }
}

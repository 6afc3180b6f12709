namespace ConstCl.Datasets;

/// <summary>
/// One video of a dataset: where it is and, when known, what it shows.
/// </summary>
/// <param name="Path">Absolute path of the video file.</param>
/// <param name="Label">Class name, or null when the source does not say (an unlabelled manifest row, a Kinetics test row).</param>
/// <param name="ClassIndex">Zero-based index of <paramref name="Label"/> in the dataset's class list, or null when unlabelled.</param>
public sealed record VideoEntry(string Path, string? Label, int? ClassIndex = null)
{
    /// <summary>Start of the labelled segment in seconds (Kinetics-style sources), or null for the whole file.</summary>
    public double? TimeStart { get; init; }

    /// <summary>End of the labelled segment in seconds (Kinetics-style sources), or null for the whole file.</summary>
    public double? TimeEnd { get; init; }
}

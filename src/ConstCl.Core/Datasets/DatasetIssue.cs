namespace ConstCl.Datasets;

/// <summary>One listed video that was not loaded, and why.</summary>
/// <param name="Path">Absolute path the listing pointed to.</param>
/// <param name="Kind">What is wrong with it.</param>
/// <param name="Reason">Human-readable explanation.</param>
/// <param name="SourceFile">List or manifest file that named the video, when there is one.</param>
/// <param name="LineNumber">One-based line in <paramref name="SourceFile"/>, when there is one.</param>
public sealed record DatasetIssue(string Path, DatasetIssueKind Kind, string Reason, string? SourceFile = null, int? LineNumber = null)
{
    /// <inheritdoc />
    public override string ToString()
    {
        string where = SourceFile is null ? string.Empty : LineNumber is null ? $" ({SourceFile})" : $" ({SourceFile}:{LineNumber})";
        return $"{Kind}: {Path}{where}: {Reason}";
    }
}

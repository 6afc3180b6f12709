namespace ConstCl.Video;

/// <summary>Too many videos of a dataset failed to decode; the job stops. The message names the count, the budget and the skip report.</summary>
public sealed class FailureBudgetExceededException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FailureBudgetExceededException(int failures, int maxFailures, int datasetSize, double fraction, string? reportPath)
        : base($"{failures} of {datasetSize} videos failed to decode, more than the failure budget of {maxFailures} ({fraction:P1} of the dataset). " +
               (reportPath is null ? "The skip report is in memory only." : $"See the skip report: {reportPath}"))
    {
        Failures = failures;
        MaxFailures = maxFailures;
        ReportPath = reportPath;
    }

    /// <summary>Failures recorded so far.</summary>
    public int Failures { get; }

    /// <summary>Failures the budget tolerated.</summary>
    public int MaxFailures { get; }

    /// <summary>The skip report file, null when the report is in memory only.</summary>
    public string? ReportPath { get; }
}

namespace ConstCl.Video;

/// <summary>
/// Stops a job when too many videos fail: at most <see cref="MaxFailures"/> = ⌊fraction · dataset size⌋ failures are
/// tolerated; the next one throws <see cref="FailureBudgetExceededException"/> naming the count, the budget and the
/// skip report. Thread-safe (backed by the report's count).
/// </summary>
public sealed class FailureBudget
{
    /// <summary>The default tolerated fraction of failed videos: 5 %.</summary>
    public const double DefaultFraction = 0.05;

    /// <summary>Creates a budget for a dataset of <paramref name="datasetSize"/> videos.</summary>
    /// <param name="datasetSize">Number of videos in the dataset (≥ 1).</param>
    /// <param name="report">The skip report failures are recorded in.</param>
    /// <param name="fraction">Tolerated fraction of failures, in [0, 1].</param>
    public FailureBudget(int datasetSize, SkipReport report, double fraction = DefaultFraction)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(datasetSize, 1);
        ArgumentNullException.ThrowIfNull(report);
        if (!(fraction >= 0 && fraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The failure fraction must be in [0, 1].");
        }

        DatasetSize = datasetSize;
        Report = report;
        Fraction = fraction;
        MaxFailures = (int)Math.Floor(fraction * datasetSize + 1e-9);
    }

    /// <summary>Number of videos in the dataset.</summary>
    public int DatasetSize { get; }

    /// <summary>Tolerated fraction of failures.</summary>
    public double Fraction { get; }

    /// <summary>Failures tolerated; one more stops the job.</summary>
    public int MaxFailures { get; }

    /// <summary>The skip report holding the failures.</summary>
    public SkipReport Report { get; }

    /// <summary>Records <paramref name="error"/> in the report and throws when the budget is exceeded (the report is flushed first).</summary>
    /// <exception cref="FailureBudgetExceededException">More than <see cref="MaxFailures"/> videos failed.</exception>
    public SkipRecord RecordFailure(VideoDecodeException error)
    {
        var record = Report.Add(error);
        int failures = Report.Count;
        if (failures > MaxFailures)
        {
            Report.Flush();
            throw new FailureBudgetExceededException(failures, MaxFailures, DatasetSize, Fraction, Report.FilePath);
        }

        return record;
    }
}

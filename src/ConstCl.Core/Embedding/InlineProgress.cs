namespace ConstCl.Embedding;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, in order (<see cref="Progress{T}"/> would post each
/// report to the thread pool, out of order with the caller's own output).
/// </summary>
/// <typeparam name="T">The progress value, e.g. <see cref="EmbeddingProgress"/>.</typeparam>
public sealed class InlineProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;

    /// <summary>A progress sink that calls <paramref name="report"/> for every value.</summary>
    /// <param name="report">Called on the reporting thread, once per <see cref="Report"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="report"/> is null.</exception>
    public InlineProgress(Action<T> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _report = report;
    }

    /// <summary>Calls the report action with <paramref name="value"/> before returning.</summary>
    /// <param name="value">The progress value.</param>
    public void Report(T value) => _report(value);
}

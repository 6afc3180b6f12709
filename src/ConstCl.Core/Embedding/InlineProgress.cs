namespace ConstCl.Embedding;

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, in order (<see cref="Progress{T}"/> would post each
/// report to the thread pool, out of order with the caller's own output).
/// </summary>
/// <typeparam name="T">The progress value, e.g. <see cref="EmbeddingProgress"/>.</typeparam>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

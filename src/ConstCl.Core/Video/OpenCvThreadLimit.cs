using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>
/// Limits OpenCV's own worker pool (used by resize and colour conversion) for a scope and restores it on dispose.
/// Process-wide: meant for benchmarks that compare against a one-thread peer, not for library code.
/// </summary>
internal sealed class OpenCvThreadLimit : IDisposable
{
    private readonly int _previous;
    private bool _disposed;

    /// <summary>Sets OpenCV to <paramref name="threads"/> threads (1 = run on the calling thread only).</summary>
    public OpenCvThreadLimit(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _previous = Cv2.GetNumThreads();
        Cv2.SetNumThreads(threads);
        Threads = Cv2.GetNumThreads();
    }

    /// <summary>The thread count OpenCV reports inside the scope.</summary>
    public int Threads { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            Cv2.SetNumThreads(_previous);
        }
    }
}

using System.Runtime.ExceptionServices;

namespace ConstCl.Video;

/// <summary>
/// Runs every call of an inner source on a dedicated worker thread and waits at most the time limit. On timeout the
/// caller gets <see cref="VideoErrorKind.Timeout"/> and the inner source is abandoned: it is never touched again by
/// this wrapper, and the worker disposes it when (if ever) its call returns. Disposing an OpenCV capture while
/// another thread is inside it would be unsafe; abandoning it costs at most one stuck thread per hung file.
/// </summary>
internal sealed class TimeLimitedVideoSource : IVideoSource
{
    private readonly IVideoSource _inner;
    private readonly TimeSpan _limit;
    private bool _abandoned;
    private bool _disposed;

    public TimeLimitedVideoSource(IVideoSource inner, TimeSpan limit)
    {
        _inner = inner;
        _limit = limit;
    }

    public string Path => _inner.Path;

    public VideoInfo Info => _inner.Info;

    /// <summary>True after a call timed out; every later call throws <see cref="VideoErrorKind.Timeout"/> at once.</summary>
    internal bool Abandoned => _abandoned;

    /// <summary>
    /// Runs <paramref name="work"/> on a dedicated thread within <paramref name="limit"/>. On timeout it throws
    /// <see cref="VideoErrorKind.Timeout"/> at once and <paramref name="afterAbandonedWorkEnds"/> runs when the work finally ends.
    /// </summary>
    public static T RunWithLimit<T>(Func<T> work, TimeSpan limit, string path, string what, Action<Task<T>>? afterAbandonedWorkEnds = null)
    {
        if (limit == Timeout.InfiniteTimeSpan)
        {
            return work();
        }

        var task = Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (Task.WaitAny([task], limit) < 0)
        {
            _ = task.ContinueWith(
                t =>
                {
                    _ = t.Exception; // observed: an abandoned failure is not an unobserved-task error
                    afterAbandonedWorkEnds?.Invoke(t);
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            throw new VideoDecodeException(VideoErrorKind.Timeout, path, $"{what} did not finish within {limit.TotalSeconds:0.###} s; the decoder was abandoned.");
        }

        if (task.IsFaulted)
        {
            ExceptionDispatchInfo.Capture(task.Exception!.InnerException ?? task.Exception).Throw();
        }

        return task.Result;
    }

    public int CountFrames() => Run(() => _inner.CountFrames(), "counting frames");

    public VideoScan Scan() => Run(() => _inner.Scan(), "scanning");

    public FrameSequence ReadFrames(IReadOnlyList<int> frameIndices) => Run(() => _inner.ReadFrames(frameIndices), "reading a clip");

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_abandoned)
        {
            _inner.Dispose();
        }
    }

    private T Run<T>(Func<T> work, string what)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_abandoned)
        {
            throw new VideoDecodeException(VideoErrorKind.Timeout, Path, "an earlier call on this video timed out; the decoder was abandoned.");
        }

        var inner = _inner;
        try
        {
            // After a timeout the worker may still be inside the inner source: it is disposed only when that call returns.
            return RunWithLimit(work, _limit, Path, what, _ => inner.Dispose());
        }
        catch (VideoDecodeException e) when (e.Kind == VideoErrorKind.Timeout)
        {
            _abandoned = true;
            throw;
        }
    }
}

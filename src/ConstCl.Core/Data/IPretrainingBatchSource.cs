namespace ConstCl.Data;

/// <summary>
/// A deterministic stream of collated two-view batches for pre-training. Batch <c>k</c> is a pure
/// function of (seed, k), so a run resumed at step <c>k</c> sees exactly the batches the
/// uninterrupted run would have seen: the sampler position saved in a checkpoint is the batch index.
/// Workers may decode and augment ahead in the background, but tensors are created only by
/// <see cref="Next"/>, on the calling (training) thread, inside the caller's dispose scope.
/// </summary>
public interface IPretrainingBatchSource : IDisposable
{
    /// <summary>Videos per batch (each yields two clips).</summary>
    int BatchSize { get; }

    /// <summary>Videos in one epoch.</summary>
    int VideosPerEpoch { get; }

    /// <summary>Index of the batch the next <see cref="Next"/> call returns.</summary>
    long Position { get; }

    /// <summary>Total time <see cref="Next"/> has spent waiting for data (decode/augment not ready).</summary>
    TimeSpan WaitTime { get; }

    /// <summary>Moves the stream so the next batch returned is <paramref name="position"/> (used on resume).</summary>
    void Seek(long position);

    /// <summary>
    /// Returns the next batch (blocking until it is ready) and advances <see cref="Position"/>.
    /// Throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    PretrainingBatch Next(CancellationToken cancellationToken = default);
}

using System.Diagnostics;
using System.Runtime.ExceptionServices;
using ConstCl.Datasets;
using ConstCl.Regions;
using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// The pre-training loader: <see cref="LoaderOptions.DecodeThreads"/> worker threads decode, sample and augment the
/// batches ahead of the training thread into a bounded queue of <see cref="LoaderOptions.PrefetchBatches"/> batches;
/// <see cref="Next"/> waits for the batch at <see cref="Position"/> (the wait is added to <see cref="WaitTime"/>) and
/// collates it into tensors on the calling thread. Workers never touch TorchSharp.
/// <para>
/// Determinism: batch <c>k</c> covers positions <c>k·B .. k·B+B−1</c> of the stream of per-epoch permutations drawn
/// from (seed, epoch); the sample at position <c>p</c> draws everything from a generator seeded by (seed, p, attempt).
/// So batch <c>k</c> is a pure function of (seed, k), whatever the thread count, timing or <see cref="Seek"/> history.
/// </para>
/// <para>
/// Failures: a video that throws while its sample is built is recorded once in <see cref="SkipReport"/> (flushed
/// atomically to <see cref="LoaderOptions.SkipReportPath"/>) and replaced by a video drawn from (seed, p, attempt),
/// up to <see cref="LoaderOptions.MaxReplacementAttempts"/> videos per slot. When more than the failure budget has
/// failed, <see cref="Next"/> throws <see cref="FailureBudgetExceededException"/>.
/// </para>
/// </summary>
public sealed class PrefetchingBatchSource : IPretrainingBatchSource
{
    private readonly LoaderOptions _options;
    private readonly IVideoFrameProvider _provider;
    private readonly TwoViewSampleBuilder _builder;
    private readonly EpochOrder _order;
    private readonly FailureBudget _budget;
    private readonly Dictionary<int, string> _failed = [];
    private readonly object _gate = new();
    private readonly Dictionary<long, BatchResult> _ready = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread[] _workers;
    private long _position;
    private long _nextToClaim;
    private int _generation;
    private bool _disposed;
    private TimeSpan _waitTime;

    /// <summary>Starts the workers over the videos of <paramref name="provider"/>.</summary>
    /// <param name="provider">The videos (files, or in memory).</param>
    /// <param name="options">Loader settings (validated here).</param>
    public PrefetchingBatchSource(IVideoFrameProvider provider, LoaderOptions options)
        : this(provider, options, null)
    {
    }

    /// <summary>Starts the workers with an explicit region proposer (tests), and optionally a budget that already holds the dataset's unusable listings.</summary>
    internal PrefetchingBatchSource(IVideoFrameProvider provider, LoaderOptions options, IRegionProposer? proposer, FailureBudget? budget = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Validate();
        _provider = provider;
        _builder = new TwoViewSampleBuilder(provider, options, proposer);
        _order = new EpochOrder(provider.Count, options.Seed);
        _budget = budget ?? new FailureBudget(provider.Count, new SkipReport(options.SkipReportPath), options.FailureBudgetFraction);
        SkipReport = _budget.Report;
        _workers = new Thread[options.DecodeThreads];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"ConstCl loader worker {i}" };
        }

        foreach (Thread t in _workers)
        {
            t.Start();
        }
    }

    /// <summary>
    /// A loader over the videos of a dataset, decoded from files (with the cache of <see cref="LoaderOptions.CacheDirectory"/>).
    /// Listed videos the dataset could not load (<see cref="DatasetIssueKind.Missing"/>, <see cref="DatasetIssueKind.Unreadable"/>)
    /// are failures like videos that do not decode: they are in <see cref="SkipReport"/> from the start (the reason names
    /// the list file and line) and count against the failure budget, which is sized on every listed video.
    /// </summary>
    /// <param name="dataset">The videos.</param>
    /// <param name="options">Loader settings.</param>
    /// <exception cref="FailureBudgetExceededException">More listed videos are unusable than the budget tolerates (the skip report is written first).</exception>
    /// <exception cref="InvalidDataException">The dataset lists no usable video.</exception>
    public static PrefetchingBatchSource FromDataset(VideoDataset dataset, LoaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(options);
        FailureBudget budget = BudgetWithLoadFailures(dataset, options.Validate());
        return new(FileFrameProvider.FromDataset(dataset, options), options, null, budget);
    }

    /// <summary>A loader over synthetic action videos rendered in memory (no files).</summary>
    /// <param name="generator">The synthetic generator.</param>
    /// <param name="options">Loader settings.</param>
    /// <param name="subset">Which split to render; null renders both.</param>
    public static PrefetchingBatchSource FromSynthetic(SyntheticActions generator, LoaderOptions options, DatasetSubset? subset = DatasetSubset.Train) =>
        new(InMemoryFrameProvider.FromSynthetic(generator, subset), options);

    /// <summary>The settings in effect.</summary>
    public LoaderOptions Options => _options;

    /// <summary>Videos that failed and were replaced, with reasons.</summary>
    public SkipReport SkipReport { get; }

    /// <inheritdoc/>
    public int BatchSize => _options.BatchSize;

    /// <inheritdoc/>
    public int VideosPerEpoch => _provider.Count;

    /// <inheritdoc/>
    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }
    }

    /// <inheritdoc/>
    public TimeSpan WaitTime
    {
        get
        {
            lock (_gate)
            {
                return _waitTime;
            }
        }
    }

    /// <summary>How long <see cref="Dispose"/> waits for all workers together before abandoning a stuck one.</summary>
    internal TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The worker threads (tests check that they end on dispose).</summary>
    internal IReadOnlyList<Thread> Workers => _workers;

    /// <inheritdoc/>
    public void Seek(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Work in flight belongs to the old generation and is discarded when it completes.
            _generation++;
            _ready.Clear();
            _position = position;
            _nextToClaim = position;
            Monitor.PulseAll(_gate);
        }
    }

    /// <inheritdoc/>
    public PretrainingBatch Next(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        BatchResult result;
        long index;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            index = _position;
            if (!_ready.TryGetValue(index, out result!))
            {
                long started = Stopwatch.GetTimestamp();
                // Unregister (not Dispose) below: Dispose would wait for a callback blocked on the lock we hold.
                CancellationTokenRegistration wake = cancellationToken.Register(() =>
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                });
                try
                {
                    while (!_ready.TryGetValue(index, out result!))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        ObjectDisposedException.ThrowIf(_disposed, this);
                        Monitor.Wait(_gate);
                    }
                }
                finally
                {
                    wake.Unregister();
                    _waitTime += Stopwatch.GetElapsedTime(started);
                }
            }

            if (result.Error is null)
            {
                _ready.Remove(index);
                _position = index + 1;
                Monitor.PulseAll(_gate);
            }
        }

        // A failed batch stays at the head: every further call reports the same error.
        result.Error?.Throw();
        return BatchCollator.Collate(result.Samples!, index, (int)_order.EpochOf(index * _options.BatchSize));
    }

    /// <summary>Stops the workers (a worker busy inside a decode finishes that call first), then flushes the skip report.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            Monitor.PulseAll(_gate);
        }

        _stop.Cancel();
        bool allStopped = true;
        long deadline = Stopwatch.GetTimestamp() + (long)(StopTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (Thread t in _workers)
        {
            // Bounded: a decoder stuck in native code is abandoned (background thread) rather than hanging the caller.
            long left = Math.Max(0, deadline - Stopwatch.GetTimestamp());
            allStopped &= t.Join(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
        }

        if (allStopped)
        {
            _stop.Dispose();
        }

        SkipReport.Flush();
    }

    private void WorkerLoop()
    {
        CancellationToken token = _stop.Token;
        while (true)
        {
            long k;
            int generation;
            lock (_gate)
            {
                while (!_disposed && _nextToClaim >= _position + _options.PrefetchBatches)
                {
                    Monitor.Wait(_gate);
                }

                if (_disposed)
                {
                    return;
                }

                k = _nextToClaim++;
                generation = _generation;
            }

            BatchResult result;
            try
            {
                result = new BatchResult(BuildBatch(k, token), null);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                result = new BatchResult(null, ExceptionDispatchInfo.Capture(e));
            }

            lock (_gate)
            {
                if (!_disposed && generation == _generation)
                {
                    _ready[k] = result;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    private TwoViewSample[] BuildBatch(long batch, CancellationToken token)
    {
        var samples = new TwoViewSample[_options.BatchSize];
        for (int j = 0; j < samples.Length; j++)
        {
            samples[j] = BuildSlot((batch * _options.BatchSize) + j, token);
        }

        return samples;
    }

    /// <summary>The sample at stream position <paramref name="position"/>: its scheduled video, or a deterministic replacement.</summary>
    internal TwoViewSample BuildSlot(long position, CancellationToken token)
    {
        int video = _order.VideoAt(position);
        string? lastError = null;
        for (int attempt = 0; attempt < _options.MaxReplacementAttempts; attempt++)
        {
            token.ThrowIfCancellationRequested();
            if (attempt > 0)
            {
                video = new Random(StreamSeed.Derive(_options.Seed, StreamSeed.Replacement, position, attempt)).Next(_provider.Count);
            }

            lock (_failed)
            {
                if (_failed.TryGetValue(video, out lastError))
                {
                    continue; // known bad: it would fail again; skipping it gives the same outcome without decoding
                }
            }

            var random = new Random(StreamSeed.Derive(_options.Seed, StreamSeed.Sample, position, attempt));
            try
            {
                return _builder.Build(video, random);
            }
            catch (Exception e) when (e is not OperationCanceledException and not FailureBudgetExceededException and not OutOfMemoryException)
            {
                lastError = e.Message;
                RecordFailure(video, e);
            }
        }

        throw new InvalidOperationException(
            $"Stream position {position}: {_options.MaxReplacementAttempts} videos in a row could not be read (the scheduled one and its replacements); " +
            $"last error: {lastError}. See the skip report{(SkipReport.FilePath is null ? string.Empty : $" {SkipReport.FilePath}")}.");
    }

    private void RecordFailure(int video, Exception error)
    {
        string key = _provider.KeyOf(video);
        lock (_failed)
        {
            if (!_failed.TryAdd(video, error.Message))
            {
                return; // another worker recorded it: each bad video counts once against the budget
            }
        }

        VideoDecodeException decode = error as VideoDecodeException
            ?? new VideoDecodeException(VideoErrorKind.Unreadable, key, $"{error.GetType().Name} while building the sample: {error.Message}", error);
        _budget.RecordFailure(decode);
        SkipReport.Flush();
    }

    /// <summary>A budget over every listed video that already holds the listings the dataset could not load.</summary>
    private static FailureBudget BudgetWithLoadFailures(VideoDataset dataset, LoaderOptions options)
    {
        DatasetIssue[] unusable = dataset.Report.Issues.Where(i => i.Kind is DatasetIssueKind.Missing or DatasetIssueKind.Unreadable).ToArray();
        int listed = dataset.Count + unusable.Length;
        if (listed == 0)
        {
            throw new InvalidDataException($"{dataset.Name} lists no videos ({dataset.Report.ToString().ReplaceLineEndings(" ")}).");
        }

        var report = new SkipReport(options.SkipReportPath);
        var budget = new FailureBudget(listed, report, options.FailureBudgetFraction);
        foreach (DatasetIssue issue in unusable)
        {
            // Duplicates are not failures (the first listing is used); videos outside class folders are a layout choice, reported by the dataset.
            string where = issue.SourceFile is null ? string.Empty : issue.LineNumber is int line ? $" (listed at {issue.SourceFile}:{line})" : $" (listed in {issue.SourceFile})";
            var kind = issue.Kind == DatasetIssueKind.Missing ? VideoErrorKind.Missing : VideoErrorKind.Unreadable;
            report.Add(new VideoDecodeException(kind, issue.Path, issue.Reason + where));
        }

        // All of them are recorded before the budget is checked, so the report names every one.
        report.Flush();
        if (report.Count > budget.MaxFailures)
        {
            throw new FailureBudgetExceededException(report.Count, budget.MaxFailures, listed, budget.Fraction, report.FilePath);
        }

        if (dataset.Count == 0)
        {
            throw new InvalidDataException(
                $"none of the {listed} videos {dataset.Name} lists can be used (all missing or unreadable)." +
                (report.FilePath is null ? string.Empty : $" See the skip report: {report.FilePath}"));
        }

        return budget;
    }

    /// <summary>A finished batch: its samples, or the error that stopped it.</summary>
    private sealed record BatchResult(TwoViewSample[]? Samples, ExceptionDispatchInfo? Error);
}

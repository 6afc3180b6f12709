using System.Collections.Concurrent;
using ConstCl.Video;
using static TorchSharp.torch;

namespace ConstCl.Embedding;

/// <summary>
/// Videos → one L2-normalised embedding each, by CVRL's evaluation protocol: the K·C views of
/// <see cref="EvaluationClips"/> are encoded by a frozen <see cref="VideoEncoder"/>, their pooled features averaged, then
/// normalised (the same order as the ONNX <c>FlatClips</c> graph: mean of raw features, then <c>x / max(‖x‖, 1e-12)</c>).
/// Views of several videos share a forward pass (<see cref="EmbeddingOptions.BatchSize"/> views); decoding runs ahead on one worker
/// thread that hands over managed arrays only (tensors are created on the calling thread), and each forward pass copies its
/// views once, from those arrays into the input tensor. Results come in input order. The one embedding engine: the CLI's
/// <c>embed</c> and <c>probe</c> and ML.NET's in-process transformer run it. One run at a time per embedder (the encoder is
/// not thread-safe).
/// </summary>
public sealed class VideoEmbedder
{
    private readonly EvaluationClipSpec _spec;

    /// <summary>Creates an embedder over <paramref name="encoder"/> (not owned: dispose it yourself).</summary>
    /// <param name="encoder">The frozen encoder.</param>
    /// <param name="options">Options; null: defaults.</param>
    public VideoEmbedder(VideoEncoder encoder, EmbeddingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Encoder = encoder;
        Options = (options ?? new EmbeddingOptions()).Validate();
        _spec = Options.Clips ?? EvaluationClipSpec.ForModel(encoder.Options);
    }

    /// <summary>The encoder.</summary>
    public VideoEncoder Encoder { get; }

    /// <summary>The options.</summary>
    public EmbeddingOptions Options { get; }

    /// <summary>The views cut from each video.</summary>
    public EvaluationClipSpec Clips => _spec;

    /// <summary>D, the embedding width.</summary>
    public int Dimension => Encoder.EmbeddingDimension;

    /// <summary>The embedding of one video file (throws <see cref="VideoEmbeddingException"/> naming it when it fails, whatever the policy).</summary>
    /// <param name="videoPath">A video file or frame folder.</param>
    public float[] Embed(string videoPath)
    {
        var result = EmbedMany([videoPath]).Single();
        return result.Vector ?? throw new VideoEmbeddingException(videoPath, result.Error ?? "unknown error");
    }

    /// <summary>The embedding of frames in memory (a synthetic video).</summary>
    /// <param name="video">The whole video.</param>
    public float[] Embed(FrameSequence video)
    {
        var prepared = EvaluationClips.PrepareWithIndices(video, _spec);
        var sums = new double[Dimension];
        Accumulate([new ViewRange(prepared.Data, prepared.Shape, 0, (int)prepared.Shape[0], sums)]);
        return Finish(sums, (int)prepared.Shape[0]);
    }

    /// <summary>Embeds many videos; see <see cref="EmbedStream"/>.</summary>
    /// <param name="videoPaths">The videos.</param>
    /// <param name="progress">Receives progress after each video.</param>
    /// <param name="cancellationToken">Stops the run between batches.</param>
    public IReadOnlyList<VideoEmbedding> EmbedMany(IReadOnlyList<string> videoPaths, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videoPaths);
        return EmbedStream(videoPaths, progress, cancellationToken, videoPaths.Count).ToList();
    }

    /// <summary>
    /// Embeds videos lazily, in input order: decoding runs ahead on a worker thread, views are batched across videos.
    /// A video that fails throws <see cref="VideoEmbeddingException"/> or yields an invalid <see cref="VideoEmbedding"/>
    /// (<see cref="EmbeddingOptions.OnFailure"/>). Stopping the enumeration stops the worker.
    /// </summary>
    /// <param name="videoPaths">The videos.</param>
    /// <param name="progress">Receives progress after each video.</param>
    /// <param name="cancellationToken">Stops the run between batches.</param>
    /// <param name="total">Number of videos for progress reports (−1: unknown).</param>
    public IEnumerable<VideoEmbedding> EmbedStream(IEnumerable<string> videoPaths, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default, int total = -1)
    {
        ArgumentNullException.ThrowIfNull(videoPaths);
        return Run(videoPaths, progress, total, cancellationToken);
    }

    private IEnumerable<VideoEmbedding> Run(IEnumerable<string> paths, IProgress<EmbeddingProgress>? progress, int total, CancellationToken cancellationToken)
    {
        int done = 0, failed = 0;
        long clips = 0;
        var pending = new List<Decoded>();
        int pendingViews = 0;
        using var decoded = Decode(paths, cancellationToken).GetEnumerator();
        bool more = true;
        while (more || pending.Count > 0)
        {
            // Fill a batch: whole videos until BatchSize views (a failed video joins the batch so order is kept).
            while (more && (pending.Count == 0 || pendingViews < Options.BatchSize))
            {
                more = decoded.MoveNext();
                if (more)
                {
                    pending.Add(decoded.Current);
                    pendingViews += decoded.Current.Clips is { } c ? (int)c.Shape[0] : 0;
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            var results = EncodeBatch(pending);
            pending.Clear();
            pendingViews = 0;
            foreach (var result in results)
            {
                done++;
                if (!result.Embedding.IsValid)
                {
                    failed++;
                    if (Options.OnFailure == EmbeddingFailurePolicy.Throw)
                    {
                        throw new VideoEmbeddingException(result.Embedding.Path, result.Embedding.Error!, result.Error);
                    }
                }

                clips += result.Views;
                progress?.Report(new EmbeddingProgress(done, total, failed, clips));
                yield return result.Embedding;
            }
        }
    }

    /// <summary>Decoded videos in input order; with prefetch, produced by one worker thread into a bounded queue.</summary>
    private IEnumerable<Decoded> Decode(IEnumerable<string> paths, CancellationToken cancellationToken)
    {
        if (Options.PrefetchVideos == 0)
        {
            foreach (var path in paths)
            {
                yield return Prepare(path);
            }

            yield break;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var queue = new BlockingCollection<Decoded>(Options.PrefetchVideos);
        var worker = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    foreach (var path in paths)
                    {
                        stop.Token.ThrowIfCancellationRequested();
                        queue.Add(Prepare(path), stop.Token);          // managed arrays only: no tensors off the main thread
                    }
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    queue.CompleteAdding();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            foreach (var item in queue.GetConsumingEnumerable(cancellationToken))
            {
                yield return item;
            }

            worker.GetAwaiter().GetResult();                           // surfaces an exception of the path enumeration itself
        }
        finally
        {
            stop.Cancel();
            try
            {
                worker.Wait(TimeSpan.FromMinutes(1));
            }
            catch (AggregateException)
            {
            }
        }
    }

    private Decoded Prepare(string path)
    {
        try
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ArgumentException("A video path is empty.");
            }

            return new Decoded(path, EvaluationClips.PrepareWithIndices(path, _spec, Options.Decode), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new Decoded(path, null, ex);
        }
    }

    private List<Result> EncodeBatch(List<Decoded> videos)
    {
        var ok = videos.Where(v => v.Clips is not null).ToList();
        var sums = new Dictionary<Decoded, double[]>(ReferenceEqualityComparer.Instance);
        var errors = new Dictionary<Decoded, Exception>(ReferenceEqualityComparer.Instance);
        if (ok.Count > 0)
        {
            try
            {
                // The views of all videos, in order, go through the network BatchSize at a time; each forward batch is
                // copied once, straight from the videos' arrays into the input tensor (no intermediate concatenation).
                var segments = ok.Select(v => new ViewRange(v.Clips!.Data, v.Clips.Shape, 0, (int)v.Clips.Shape[0], sums[v] = new double[Dimension])).ToList();
                Accumulate(segments);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ok.Count > 1)
            {
                // One bad video must not take its batch-mates down: retry each alone to find it.
                sums.Clear();
                foreach (var v in ok)
                {
                    try
                    {
                        var s = new double[Dimension];
                        Accumulate([new ViewRange(v.Clips!.Data, v.Clips.Shape, 0, (int)v.Clips.Shape[0], s)]);
                        sums[v] = s;
                    }
                    catch (Exception inner) when (inner is not OperationCanceledException)
                    {
                        errors[v] = inner;
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                errors[ok[0]] = ex;
                sums.Clear();
            }
        }

        var results = new List<Result>(videos.Count);
        foreach (var v in videos)
        {
            var error = v.Error ?? (errors.TryGetValue(v, out var e) ? e : null);
            if (error is null && sums.TryGetValue(v, out var s))
            {
                int views = (int)v.Clips!.Shape[0];
                results.Add(new Result(new VideoEmbedding(v.Path, Finish(s, views), v.Clips.FrameIndices, null), views, null));
            }
            else
            {
                error ??= new InvalidOperationException("the video was not encoded.");
                var reason = error is VideoDecodeException d ? $"{d.Kind}: {d.Reason}" : error.Message;
                results.Add(new Result(new VideoEmbedding(v.Path, null, null, reason) { Exception = error }, 0, error));
            }
        }

        return results;
    }

    /// <summary>
    /// Encodes the views of <paramref name="segments"/> in order, <see cref="EmbeddingOptions.BatchSize"/> per forward pass (a
    /// pass may span several segments), adding each view's pooled features to its segment's sums.
    /// </summary>
    private void Accumulate(IReadOnlyList<ViewRange> segments)
    {
        var shape = segments[0].Shape;
        long viewLength = shape[1] * shape[2] * shape[3] * shape[4];
        int total = segments.Sum(s => s.Count);
        int segment = 0, offset = 0;                                           // the next view to encode: segments[segment], view Start + offset
        for (int done = 0; done < total;)
        {
            int count = Math.Min(Options.BatchSize, total - done);
            using var scope = NewDisposeScope();
            var input = empty([count, shape[1], shape[2], shape[3], shape[4]], float32);   // [n, 3, T, S, S]
            var owners = new double[count][];
            var accessor = input.data<float>();
            for (int filled = 0; filled < count;)
            {
                var s = segments[segment];
                if (s.Shape[1] != shape[1] || s.Shape[2] != shape[2] || s.Shape[3] != shape[3] || s.Shape[4] != shape[4])
                {
                    throw new InvalidOperationException($"Views of different shapes cannot share a batch: [{string.Join(", ", s.Shape)}] and [{string.Join(", ", shape)}].");
                }

                int n = Math.Min(count - filled, s.Count - offset);
                accessor.CopyFrom(s.Data.AsSpan(checked((int)((s.Start + offset) * viewLength)), checked((int)(n * viewLength))), 0, filled * viewLength);   // the one copy of a view
                for (int r = 0; r < n; r++)
                {
                    owners[filled + r] = s.Sums;
                }

                filled += n;
                offset += n;
                if (offset == s.Count)
                {
                    segment++;
                    offset = 0;
                }
            }

            var features = Encoder.Encode(input).data<float>().ToArray();   // [n, D]
            for (int r = 0; r < count; r++)
            {
                var target = owners[r];
                for (int d = 0; d < target.Length; d++)
                {
                    target[d] += features[(r * target.Length) + d];
                }
            }

            done += count;
        }
    }

    /// <summary>Mean over the views, then <c>x / max(‖x‖₂, 1e-12)</c> (F.normalize).</summary>
    private static float[] Finish(double[] sums, int views)
    {
        var mean = new float[sums.Length];
        double norm = 0;
        for (int d = 0; d < sums.Length; d++)
        {
            mean[d] = (float)(sums[d] / views);
            norm += (double)mean[d] * mean[d];
        }

        double scale = 1.0 / Math.Max(Math.Sqrt(norm), 1e-12);
        for (int d = 0; d < mean.Length; d++)
        {
            mean[d] = (float)(mean[d] * scale);
        }

        return mean;
    }

    private sealed record Decoded(string Path, PreparedClips? Clips, Exception? Error);

    private sealed record Result(VideoEmbedding Embedding, int Views, Exception? Error);

    /// <summary>Views <c>Start..Start+Count-1</c> of one video's <c>[K·C, 3, T, S, S]</c> array, and the sums its features go to.</summary>
    private sealed record ViewRange(float[] Data, long[] Shape, int Start, int Count, double[] Sums);
}

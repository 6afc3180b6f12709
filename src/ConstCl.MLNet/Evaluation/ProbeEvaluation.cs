using System.Diagnostics;
using System.Globalization;
using ConstCl.Datasets;
using ConstCl.Embedding;

namespace ConstCl.MLNet.Evaluation;

/// <summary>
/// The probe evaluation of a frozen encoder (what <c>constcl probe</c> runs): <see cref="Embed"/> embeds every video the
/// splits list once (Core's <see cref="VideoEmbedder"/>, K clips × C crops averaged, L2-normalised; from an
/// <see cref="EmbeddingCache"/> where present; a video that fails is recorded, never fatal), then <see cref="Evaluate"/>
/// fits and tests the classifier of each split (<see cref="LinearProbe"/>, or <see cref="KnnClassifier"/> when given) and
/// measures retrieval (test videos querying the training videos), and <see cref="Card"/> describes how the numbers were made.
/// </summary>
public sealed class ProbeEvaluation
{
    /// <summary>Nearest training videos kept per test video (for the retrieval picture), at least the largest recall k.</summary>
    private const int KeptNeighbours = 5;

    /// <summary>Creates the evaluation.</summary>
    /// <param name="encoder">The frozen encoder (not owned).</param>
    /// <param name="embedding">Protocol, batch size (clips per forward pass) and prefetch; failures are always recorded. Null: defaults.</param>
    /// <param name="probe">The linear probe's options; null: defaults. Ignored when <paramref name="knn"/> is given.</param>
    /// <param name="knn">Evaluate by k nearest neighbours instead of the linear probe; null: the linear probe.</param>
    public ProbeEvaluation(VideoEncoder encoder, EmbeddingOptions? embedding = null, LinearProbeOptions? probe = null, KnnClassifier? knn = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Embedder = new VideoEmbedder(encoder, (embedding ?? new EmbeddingOptions()) with { OnFailure = EmbeddingFailurePolicy.Mark });
        Probe = (probe ?? new LinearProbeOptions()).Validate();
        Knn = knn;
    }

    /// <summary>The embedding engine.</summary>
    public VideoEmbedder Embedder { get; }

    /// <summary>The linear probe's options.</summary>
    public LinearProbeOptions Probe { get; }

    /// <summary>The kNN classifier, or null for the linear probe.</summary>
    public KnnClassifier? Knn { get; }

    /// <summary>The classifier, e.g. <c>LbfgsMaximumEntropy</c> or <c>kNN (k = 20, Majority)</c>.</summary>
    public string Method => Knn is { } knn ? $"kNN (k = {knn.K}, {knn.Voting})" : Probe.TrainerName;

    /// <summary>The classifier's settings.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings => Knn?.Describe() ?? Probe.Describe();

    /// <summary>
    /// Embeds every video listed by <paramref name="splits"/> once (the three UCF101 splits share their videos): from
    /// <paramref name="cache"/> where present, else computed and stored there. Listings a dataset could not use count as
    /// failures.
    /// </summary>
    /// <param name="splits">The splits.</param>
    /// <param name="cache">The embedding cache of <see cref="Embedder"/>, or null for none.</param>
    /// <param name="log">Receives progress lines (cache hits, videos embedded, rate, time left); null: silent.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    public ProbeEmbeddings Embed(IReadOnlyList<ProbeSplit> splits, EmbeddingCache? cache = null, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(splits);
        var c = CultureInfo.InvariantCulture;
        var paths = splits.SelectMany(s => s.Train.Entries.Concat(s.Test.Entries)).Select(e => e.Path).Distinct(StringComparer.Ordinal).ToList();
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        var todo = new List<string>();
        foreach (var p in paths)
        {
            if (cache?.TryGet(p) is { Length: var n } v && n == Embedder.Dimension)
            {
                vectors[p] = v;
            }
            else
            {
                todo.Add(p);
            }
        }

        int cached = vectors.Count;
        log?.Invoke(string.Create(c, $"  embeddings: {cached} from cache{(cache is null ? " (cache off)" : $" ({cache.Directory})")}, {todo.Count} to compute"));
        var watch = Stopwatch.StartNew();
        if (todo.Count > 0)
        {
            var lastReport = TimeSpan.Zero;
            var progress = new InlineProgress<EmbeddingProgress>(p =>
            {
                if (p.Done == p.Total || watch.Elapsed - lastReport >= TimeSpan.FromSeconds(5))
                {
                    lastReport = watch.Elapsed;
                    double rate = p.Done / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
                    double eta = rate > 0 ? (p.Total - p.Done) / rate : 0;
                    log?.Invoke(string.Create(c, $"  {p.Done}/{p.Total} videos embedded, {p.Failed} failed, {p.Clips / Math.Max(watch.Elapsed.TotalSeconds, 1e-9):F1} clips/s, ~{eta:F0} s left"));
                }
            });
            string? cacheProblem = null;
            foreach (var result in Embedder.EmbedStream(todo, progress, cancellationToken, todo.Count))
            {
                if (result.Vector is { } vector)
                {
                    vectors[result.Path] = vector;
                    if (cache is not null && cacheProblem is null)
                    {
                        cacheProblem = cache.Put(result.Path, vector);
                        if (cacheProblem is not null)
                        {
                            log?.Invoke($"  embedding cache not written ({cacheProblem}); going on without it.");
                        }
                    }
                }
                else
                {
                    failures[result.Path] = result.Error ?? "unknown error";
                }
            }
        }

        foreach (var split in splits)
        {
            // A repeated listing is used once, not skipped.
            foreach (var issue in split.Train.Report.Issues.Concat(split.Test.Report.Issues).Where(i => i.Kind != DatasetIssueKind.Duplicate))
            {
                failures.TryAdd(issue.Path, $"{issue.Kind}: {issue.Reason}");
            }
        }

        return new ProbeEmbeddings(vectors, failures, cached, todo.Count > 0 ? watch.Elapsed.TotalSeconds : 0);
    }

    /// <summary>
    /// Fits the classifier on the training videos of <paramref name="split"/> that have embeddings, tests it on the test videos
    /// that have them, and measures retrieval recall@k (<see cref="RetrievalRecall.StandardK"/> up to the training count).
    /// </summary>
    /// <param name="split">The split.</param>
    /// <param name="embeddings">What <see cref="Embed"/> returned for a list holding this split.</param>
    /// <param name="log">Receives a line before fitting; null: silent.</param>
    /// <exception cref="InvalidOperationException">No training or no test video has an embedding.</exception>
    public ProbeSplitResult Evaluate(ProbeSplit split, ProbeEmbeddings embeddings, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(embeddings);
        var c = CultureInfo.InvariantCulture;
        var (train, trainPaths) = Examples(split.Train, embeddings.Vectors);
        var (test, testPaths) = Examples(split.Test, embeddings.Vectors);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new InvalidOperationException(string.Create(c, $"split {split.Label}: {train.Count} training and {test.Count} test videos could be embedded; nothing to evaluate."));
        }

        log?.Invoke(string.Create(c, $"  split {split.Label}: fitting {Method} on {train.Count} × {Embedder.Dimension}, {split.Train.ClassNames.Count} classes; testing on {test.Count}"));
        var fitWatch = Stopwatch.StartNew();
        ClassificationResult result;
        double fitSeconds;
        if (Knn is { } classifier)
        {
            result = classifier.Evaluate(train, test, split.Train.ClassNames);
            fitSeconds = fitWatch.Elapsed.TotalSeconds;
        }
        else
        {
            var probe = new LinearProbe(Probe);
            result = probe.Evaluate(train, test, split.Train.ClassNames);
            fitSeconds = probe.LastFitSeconds;
        }

        // Retrieval: every test video queries the training videos; the neighbours also feed the retrieval picture.
        var neighbours = NearestNeighbours.Find(test.Select(e => e.Vector).ToArray(), train.Select(e => e.Vector).ToArray(), Math.Max(RetrievalRecall.StandardK[^1], KeptNeighbours));
        var recall = RetrievalRecall.FromNeighbours(
            neighbours, train.Select(e => e.ClassIndex).ToArray(), test.Select(e => e.ClassIndex).ToArray(), RetrievalRecall.StandardK.Where(k => k <= train.Count).ToArray());
        return new ProbeSplitResult(split, result, recall, train, trainPaths, test, testPaths, neighbours, fitSeconds);
    }

    /// <summary>The protocol card of one split's result.</summary>
    /// <param name="result">The split's result.</param>
    /// <param name="embeddings">The embeddings it was computed from.</param>
    /// <param name="encoderName">Where the encoder came from: a file path, or e.g. <c>random-init tiny (seed 0)</c>.</param>
    /// <param name="seed">Seed of the run.</param>
    /// <param name="wallSeconds">Seconds the run has taken so far.</param>
    public ProtocolCard Card(ProbeSplitResult result, ProbeEmbeddings embeddings, string encoderName, int seed, double wallSeconds)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(embeddings);
        var split = result.Split;
        var spec = Embedder.Clips;
        int listed = split.Train.Report.Listed - split.Train.Report.DuplicateCount + split.Test.Report.Listed - split.Test.Report.DuplicateCount;
        return new ProtocolCard
        {
            EncoderHash = Embedder.Encoder.Hash,
            Encoder = encoderName,
            Branch = Embedder.Encoder.Branch.ToString(),
            Stage = Embedder.Encoder.Stage.ToString(),
            EmbeddingDimension = Embedder.Dimension,
            Dataset = split.Dataset,
            Split = split.Label,
            Classes = split.Train.ClassNames.Count,
            TrainVideos = result.Train.Count,
            TestVideos = result.Test.Count,
            SkippedVideos = listed - result.Train.Count - result.Test.Count,
            ClipCount = spec.ClipCount,
            CropCount = spec.CropCount,
            FramesPerClip = spec.FramesPerClip,
            FrameStride = spec.FrameStride,
            Size = spec.Size,
            ValueRange = spec.ZeroCenter ? "-1..1" : "0..1",
            Method = Method,
            Settings = Settings.ToDictionary(kv => kv.Key, kv => kv.Value),
            Seed = seed,
            EmbedSeconds = embeddings.Seconds,
            CachedVideos = embeddings.Cached,
            FitSeconds = result.FitSeconds,
            WallSeconds = wallSeconds,
            Date = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The dataset's videos that have embeddings, as probe examples, with their paths.</summary>
    private static (List<LabeledEmbedding> Examples, List<string> Paths) Examples(VideoDataset dataset, IReadOnlyDictionary<string, float[]> vectors)
    {
        var entries = dataset.Entries.Where(e => vectors.ContainsKey(e.Path)).ToList();
        return (entries.Select(e => new LabeledEmbedding(e.ClassIndex!.Value, vectors[e.Path])).ToList(), entries.Select(e => e.Path).ToList());
    }
}

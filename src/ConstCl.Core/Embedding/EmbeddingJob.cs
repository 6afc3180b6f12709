using System.Globalization;
using ConstCl.Datasets;
using ConstCl.IO;

namespace ConstCl.Embedding;

/// <summary>
/// A resumable embedding job over a list of videos (what <c>constcl embed</c> runs): each video's L2-normalised embedding
/// <c>[D]</c> (<see cref="VideoEmbedder"/>, failures marked, never fatal) goes into <see cref="EmbeddingRow"/>s that are
/// written <see cref="PartRows"/> at a time to part files <c>part-NNNNN.jsonl</c> in <see cref="PartsDirectory"/> (each written
/// to a temporary name and renamed, so a part is whole or absent). <see cref="Open"/> reads the parts a previous run left and
/// plans only the videos not embedded yet (a video that failed is tried again); parts of another encoder or protocol are
/// refused. <see cref="Run"/> embeds the rest and assembles the result from all parts: one row per embedded video in list
/// order, labelled as the list labels it now (a corrected label needs no re-embedding), and the videos that never embedded.
/// Cancelling keeps the rows finished before the stop. Sharding is the caller's: give each job its share of the list and
/// its own parts folder.
/// </summary>
public sealed class EmbeddingJob
{
    private readonly IReadOnlyList<VideoEntry> _videos;
    private readonly List<VideoEntry> _todo;
    private readonly Dictionary<string, string?> _labels;

    private EmbeddingJob(VideoEmbedder embedder, IReadOnlyList<VideoEntry> videos, string partsDirectory, int partRows, List<VideoEntry> todo)
    {
        Embedder = embedder;
        _videos = videos;
        PartsDirectory = partsDirectory;
        PartRows = partRows;
        _todo = todo;
        _labels = videos.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);
    }

    /// <summary>The engine (its failure policy is <see cref="EmbeddingFailurePolicy.Mark"/>: a video that fails becomes a failure row).</summary>
    public VideoEmbedder Embedder { get; }

    /// <summary>The folder of the part files: the job's resumable state.</summary>
    public string PartsDirectory { get; }

    /// <summary>Rows per part file (the unit of resumption).</summary>
    public int PartRows { get; }

    /// <summary>The protocol every row records, <see cref="EvaluationClipSpec.ToSpecString"/>.</summary>
    public string ClipSpec => Embedder.Clips.ToSpecString();

    /// <summary>The job's videos (a path listed twice is embedded once).</summary>
    public IReadOnlyList<VideoEntry> Videos => _videos;

    /// <summary>The videos this run will embed: those without an embedded row in the parts, each path once, in list order.</summary>
    public IReadOnlyList<VideoEntry> ToEmbed => _todo;

    /// <summary>Listed videos already embedded by earlier runs (<c>Videos.Count − ToEmbed.Count</c>).</summary>
    public int AlreadyEmbedded => _videos.Count - _todo.Count;

    /// <summary>
    /// Plans a job: removes the temporary files an interrupted write left in <paramref name="partsDirectory"/>, reads its parts
    /// and keeps the videos not embedded yet.
    /// </summary>
    /// <param name="encoder">The frozen encoder (not owned).</param>
    /// <param name="videos">The videos, with their labels.</param>
    /// <param name="partsDirectory">The folder of the part files (created on the first write).</param>
    /// <param name="options">Embedding options (protocol, batch size in clips, prefetch); failures are always marked. Null: defaults.</param>
    /// <param name="partRows">Rows per part file (default 256).</param>
    /// <exception cref="InvalidDataException">The parts hold rows of another encoder or protocol, or a damaged line.</exception>
    public static EmbeddingJob Open(VideoEncoder encoder, IReadOnlyList<VideoEntry> videos, string partsDirectory, EmbeddingOptions? options = null, int partRows = 256)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(videos);
        ArgumentException.ThrowIfNullOrWhiteSpace(partsDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(partRows, 1);
        var embedder = new VideoEmbedder(encoder, (options ?? new EmbeddingOptions()) with { OnFailure = EmbeddingFailurePolicy.Mark });
        RemoveTemporaryFiles(partsDirectory);
        var previous = ReadParts(partsDirectory);
        var hash = encoder.Hash;
        var foreign = previous.FirstOrDefault(r => r.Error is null && r.EncoderHash != hash);
        if (foreign is not null)
        {
            throw new InvalidDataException(
                $"{partsDirectory} holds rows of another encoder ({foreign.EncoderHash[..Math.Min(12, foreign.EncoderHash.Length)]}, this one is {hash[..12]}); delete it or choose another output.");
        }

        var spec = embedder.Clips.ToSpecString();
        var otherSpec = previous.FirstOrDefault(r => r.Error is null && r.ClipSpec != spec);
        if (otherSpec is not null)
        {
            throw new InvalidDataException(
                $"{partsDirectory} holds rows made with another protocol ('{otherSpec.ClipSpec}', this run is '{spec}'); delete it or choose another output.");
        }

        var done = previous.Where(r => r.Error is null).Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        var todo = videos.Where(e => !done.Contains(e.Path)).DistinctBy(e => e.Path, StringComparer.Ordinal).ToList();
        return new EmbeddingJob(embedder, videos, partsDirectory, partRows, todo);
    }

    /// <summary>
    /// Embeds <see cref="ToEmbed"/>, writing a part every <see cref="PartRows"/> rows, then assembles the result from all parts.
    /// An I/O error (a full disk) propagates; the parts written so far stay, so a rerun embeds only the rest.
    /// </summary>
    /// <param name="progress">Receives progress after each video, on the calling thread.</param>
    /// <param name="cancellationToken">Stops between batches: the rows finished so far are written as a last part.</param>
    /// <param name="partWritten">Called with the part number after each part is written (tests interrupt a run with it).</param>
    public EmbeddingJobResult Run(IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default, Action<int>? partWritten = null)
    {
        int part = NextPartNumber(PartsDirectory);
        int written = 0;
        var buffer = new List<EmbeddingRow>();
        var hash = Embedder.Encoder.Hash;
        var spec = ClipSpec;

        void Flush()
        {
            if (buffer.Count > 0)
            {
                WritePart(PartsDirectory, part, buffer);
                written += buffer.Count;
                buffer.Clear();
                partWritten?.Invoke(part);
                part++;
            }
        }

        try
        {
            foreach (var result in Embedder.EmbedStream(_todo.Select(e => e.Path), progress, cancellationToken, _todo.Count))
            {
                buffer.Add(new EmbeddingRow
                {
                    Path = result.Path,
                    Label = _labels[result.Path],
                    Embedding = result.Vector ?? [],
                    ClipFrameIndices = result.ClipFrameIndices?.SelectMany(c => c).ToArray() ?? [],
                    FramesPerClip = Embedder.Clips.FramesPerClip,
                    ClipSpec = spec,
                    EncoderHash = hash,
                    Error = result.Error,
                });
                if (buffer.Count >= PartRows)
                {
                    Flush();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Flush();                                       // the rows finished before the stop are kept
            return new EmbeddingJobResult([], [], written, Cancelled: true);
        }

        Flush();
        var all = ReadParts(PartsDirectory);
        var valid = all.Where(r => r.Error is null).GroupBy(r => r.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var rows = _videos.Where(e => valid.ContainsKey(e.Path)).Select(e => valid[e.Path]).DistinctBy(r => r.Path).ToList();
        rows.ForEach(r => r.Label = _labels[r.Path]);
        var failures = all.Where(r => r.Error is not null && !valid.ContainsKey(r.Path)).GroupBy(r => r.Path).Select(g => g.Last()).ToList();
        return new EmbeddingJobResult(rows, failures, written, Cancelled: false);
    }

    /// <summary>Every row of every complete part, in part order (temporary leftovers of a crash are ignored).</summary>
    internal static List<EmbeddingRow> ReadParts(string partsDirectory)
    {
        var rows = new List<EmbeddingRow>();
        if (!Directory.Exists(partsDirectory))
        {
            return rows;
        }

        foreach (var file in Directory.GetFiles(partsDirectory, "part-*.jsonl").Order(StringComparer.Ordinal))
        {
            rows.AddRange(EmbeddingRowsJson.Read(file));
        }

        return rows;
    }

    /// <summary>Deletes the temporary files an interrupted write left in the parts folder; returns how many.</summary>
    internal static int RemoveTemporaryFiles(string partsDirectory)
    {
        if (!Directory.Exists(partsDirectory))
        {
            return 0;
        }

        var stale = Directory.GetFiles(partsDirectory, "*.tmp-*");
        foreach (var file in stale)
        {
            File.Delete(file);
        }

        return stale.Length;
    }

    /// <summary>The next free part number.</summary>
    internal static int NextPartNumber(string partsDirectory) =>
        Directory.Exists(partsDirectory)
            ? Directory.GetFiles(partsDirectory, "part-*.jsonl")
                .Select(f => int.TryParse(Path.GetFileNameWithoutExtension(f)[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n + 1 : 0)
                .DefaultIfEmpty(0).Max()
            : 0;

    /// <summary>Writes one part atomically.</summary>
    internal static void WritePart(string partsDirectory, int number, IReadOnlyList<EmbeddingRow> rows)
    {
        Directory.CreateDirectory(partsDirectory);
        EmbeddingRowsJson.WriteFile(Path.Combine(partsDirectory, string.Create(CultureInfo.InvariantCulture, $"part-{number:00000}.jsonl")), rows);
    }
}

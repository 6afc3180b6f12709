using System.Globalization;
using System.Text.RegularExpressions;
using ConstCl.Checkpoints;
using ConstCl.IO;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// The checkpoints of one run in one directory, named <c>step-000000050.ckpt</c>. Writes are atomic (temporary file,
/// flushed to disk, renamed), the newest <see cref="KeepLast"/> are kept, and <see cref="LoadLatest(nn.Module?, ConstClOptimizer?, DeterministicRandom?)"/> returns the
/// newest file that passes verification, reporting every newer one it had to skip.
/// </summary>
public sealed partial class CheckpointStore
{
    /// <summary>File extension of checkpoints.</summary>
    public const string Extension = ".ckpt";

    private readonly Action<string>? _log;

    /// <summary>Opens (and creates) a checkpoint directory.</summary>
    /// <param name="directory">The directory holding this run's checkpoints.</param>
    /// <param name="keepLast">How many of the newest checkpoints to keep (&gt;= 1).</param>
    /// <param name="log">Receives one line per notable event (skipped corrupt file, pruned file); optional.</param>
    public CheckpointStore(string directory, int keepLast, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (keepLast < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keepLast must be at least 1.");
        }

        Directory = System.IO.Path.GetFullPath(directory);
        KeepLast = keepLast;
        _log = log;
        System.IO.Directory.CreateDirectory(Directory);
    }

    /// <summary>The checkpoint directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>How many of the newest checkpoints are kept.</summary>
    public int KeepLast { get; }

    /// <summary>The path a checkpoint of <paramref name="step"/> has in this store.</summary>
    /// <param name="step">Steps completed.</param>
    public string PathFor(int step) => System.IO.Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"step-{step:D9}{Extension}"));

    /// <summary>
    /// Writes <paramref name="snapshot"/> atomically, then removes temporary files left by a crashed writer,
    /// checkpoints of later steps (a resumed run abandons them) and all but the newest <see cref="KeepLast"/>.
    /// Returns the file written. One writer per directory.
    /// </summary>
    /// <param name="snapshot">What to save.</param>
    public string Save(CheckpointSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshot), snapshot.Step, "CheckpointSnapshot.Step must be >= 0.");
        }

        var path = PathFor(snapshot.Step);
        AtomicFile.Write(path, stream => Checkpoint.Write(stream, snapshot), durable: true);

        // Temporary files left by a crashed writer are never valid checkpoints.
        foreach (var stale in System.IO.Directory.EnumerateFiles(Directory, "step-*" + Extension + ".tmp-*"))
        {
            TryDelete(stale);
        }

        foreach (var (step, file) in List())
        {
            if (step > snapshot.Step)
            {
                _log?.Invoke($"Removing checkpoint '{file}' (step {step}) from an abandoned timeline: step {snapshot.Step} was just written.");
                TryDelete(file);
            }
        }

        foreach (var (_, file) in List().Skip(KeepLast))
        {
            _log?.Invoke($"Pruning checkpoint '{file}' (keeping the newest {KeepLast}).");
            TryDelete(file);
        }

        return path;
    }

    /// <summary>The checkpoint files present, newest (highest step) first; not verified. Temporary files are ignored.</summary>
    public IReadOnlyList<(int Step, string Path)> List()
    {
        return System.IO.Directory.EnumerateFiles(Directory, "step-*" + Extension)
            .Select(f => (Match: FileName().Match(System.IO.Path.GetFileName(f)), Path: f))
            .Where(x => x.Match.Success)
            .Select(x => (Step: int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), x.Path))
            .OrderByDescending(x => x.Step)
            .ToArray();
    }

    /// <summary>
    /// Reads the newest checkpoint that passes verification. Each newer file that fails (truncated, wrong magic,
    /// hash mismatch, malformed tensors, unreadable) is reported in <see cref="CheckpointLoadResult.Skipped"/> and
    /// logged, and the previous one is tried. With <paramref name="model"/>, <paramref name="optimizer"/> or
    /// <paramref name="managedRandom"/>, a checkpoint that <see cref="Checkpoint.Restore"/> could not load into them
    /// (other tensor names or shapes, another optimiser, a bad generator state) is skipped the same way. Returns a null
    /// checkpoint when no usable file exists.
    /// </summary>
    /// <param name="model">The model the checkpoint will be restored into, or null to skip that check.</param>
    /// <param name="optimizer">The optimiser it will be restored into, or null.</param>
    /// <param name="managedRandom">The managed generator it will be restored into, or null.</param>
    public CheckpointLoadResult LoadLatest(nn.Module? model = null, ConstClOptimizer? optimizer = null, DeterministicRandom? managedRandom = null) =>
        LoadLatest(model, optimizer, managedRandom, accept: null);

    /// <summary><see cref="LoadLatest(nn.Module?, ConstClOptimizer?, DeterministicRandom?)"/> with a caller's own check:
    /// <paramref name="accept"/> throws <see cref="CorruptFileException"/> to skip a checkpoint.</summary>
    internal CheckpointLoadResult LoadLatest(nn.Module? model, ConstClOptimizer? optimizer, DeterministicRandom? managedRandom, Action<Checkpoint>? accept)
    {
        var skipped = new List<CheckpointProblem>();
        foreach (var (_, file) in List())
        {
            Checkpoint? checkpoint = null;
            try
            {
                checkpoint = Checkpoint.Read(file, model);
                checkpoint.EnsureRestorable(optimizer, managedRandom);
                accept?.Invoke(checkpoint);
                return new CheckpointLoadResult(checkpoint, skipped);
            }
            catch (Exception ex) when (ex is CorruptFileException or IOException or UnauthorizedAccessException)
            {
                checkpoint?.Dispose();
                var reason = ex is CorruptFileException corrupt ? corrupt.Reason : ex.Message;
                skipped.Add(new CheckpointProblem(file, reason));
                _log?.Invoke($"Skipping checkpoint '{file}': {reason}");
            }
        }

        return new CheckpointLoadResult(null, skipped);
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Best effort: a file that cannot be removed now is retried at the next save.
        }
    }

    [GeneratedRegex(@"^step-(\d{9})\.ckpt$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ConstCl.IO;

namespace ConstCl.Training;

/// <summary>
/// Writes the metrics of a run twice: as JSON lines (<c>metrics.jsonl</c>: one object per logged step with
/// <c>step</c>, <c>wall_time</c> in Unix seconds and one field per scalar; appended and flushed per line) and as
/// TensorBoard event files under <c>tensorboard/</c>. On resume, lines of steps after the resume point are dropped
/// (the file is rewritten atomically) and a TensorBoard session-start record makes TensorBoard drop them too.
/// Not thread-safe: log from the training loop.
/// </summary>
public sealed class MetricsLogger : IDisposable
{
    /// <summary>The JSON-lines file name.</summary>
    public const string MetricsFileName = "metrics.jsonl";

    /// <summary>The TensorBoard sub-directory name.</summary>
    public const string TensorBoardDirectoryName = "tensorboard";

    private readonly StreamWriter _lines;
    private readonly TensorBoardEventWriter _events;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Opens the metrics of a run in <paramref name="directory"/>.</summary>
    /// <param name="directory">The run's output directory.</param>
    /// <param name="resumeFromStep">The step a resumed run continues from: earlier lines are kept, later ones dropped. Null for a fresh run (an existing file is appended to).</param>
    public MetricsLogger(string directory, int? resumeFromStep = null)
        : this(directory, resumeFromStep, null)
    {
    }

    internal MetricsLogger(string directory, int? resumeFromStep, Func<DateTimeOffset>? clock)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (resumeFromStep < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(resumeFromStep), resumeFromStep, "resumeFromStep must be >= 0.");
        }

        Directory.CreateDirectory(directory);
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        MetricsPath = Path.Combine(directory, MetricsFileName);
        TensorBoardDirectory = Path.Combine(directory, TensorBoardDirectoryName);
        if (resumeFromStep is { } resume && File.Exists(MetricsPath))
        {
            TruncateAfter(MetricsPath, resume);
        }

        _lines = new StreamWriter(new FileStream(MetricsPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        _events = new TensorBoardEventWriter(TensorBoardDirectory, _clock);
        if (resumeFromStep is { } start)
        {
            _events.WriteSessionStart(start + 1);
        }
    }

    /// <summary>The JSON-lines metrics file.</summary>
    public string MetricsPath { get; }

    /// <summary>The TensorBoard log directory (point <c>tensorboard --logdir</c> here).</summary>
    public string TensorBoardDirectory { get; }

    /// <summary>The current TensorBoard event file.</summary>
    public string EventFilePath => _events.FilePath;

    /// <summary>Logs scalars of <paramref name="step"/>; non-finite values are written as the strings "NaN", "Infinity", "-Infinity".</summary>
    /// <param name="step">The step the values belong to.</param>
    /// <param name="scalars">Name → value; names become JSON fields and TensorBoard tags.</param>
    public void Log(int step, IEnumerable<KeyValuePair<string, double>> scalars)
    {
        ArgumentNullException.ThrowIfNull(scalars);
        var list = scalars.ToArray();
        var line = new JsonObject
        {
            ["step"] = step,
            ["wall_time"] = Math.Round(_clock().ToUnixTimeMilliseconds() / 1000.0, 3),
        };
        foreach (var (name, value) in list)
        {
            if (name is "step" or "wall_time")
            {
                throw new ArgumentException($"'{name}' is reserved in the metrics file.", nameof(scalars));
            }

            line[name] = double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));
        }

        _lines.WriteLine(line.ToJsonString());
        _lines.Flush();
        _events.WriteScalars(step, list);
    }

    /// <summary>Logs a progress report under the tags of <see cref="PretrainingProgress.ToScalars"/>.</summary>
    /// <param name="progress">The report.</param>
    public void Log(PretrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        Log(progress.Step, progress.ToScalars());
    }

    /// <summary>Closes both files.</summary>
    public void Dispose()
    {
        _lines.Dispose();
        _events.Dispose();
    }

    private static void TruncateAfter(string path, int step)
    {
        // Unusable lines (cut off by a crash, not a step's object) are dropped.
        var kept = MetricsLines.Read(path).Where(l => l.Step <= step).Select(l => l.Line).ToList();
        AtomicFile.WriteAllLines(path, kept);
    }
}

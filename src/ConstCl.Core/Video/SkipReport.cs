using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConstCl.IO;

namespace ConstCl.Video;

/// <summary>
/// Thread-safe list of videos skipped during a job. <see cref="Flush"/> writes every record as JSON lines
/// (<c>{"path":…,"kind":"Truncated","message":…,"timeUtc":"…Z"}</c>) to a temporary file and renames it over
/// <see cref="FilePath"/>, so a reader never sees a half-written report.
/// </summary>
public sealed class SkipReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly object _gate = new();
    private readonly List<SkipRecord> _records = [];
    private readonly TimeProvider _clock;

    /// <summary>Creates an empty report that <see cref="Flush"/> writes to <paramref name="filePath"/> (null: kept in memory only).</summary>
    /// <param name="filePath">Destination of the JSON-lines report.</param>
    /// <param name="clock">Source of the UTC time stamps (null: the system clock).</param>
    public SkipReport(string? filePath = null, TimeProvider? clock = null)
    {
        FilePath = filePath;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Where <see cref="Flush"/> writes; null for an in-memory report.</summary>
    public string? FilePath { get; }

    /// <summary>Number of recorded failures.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <summary>A snapshot of the records in the order they were added.</summary>
    public IReadOnlyList<SkipRecord> Records
    {
        get
        {
            lock (_gate)
            {
                return _records.ToArray();
            }
        }
    }

    /// <summary>Records a failure from a decode exception.</summary>
    public SkipRecord Add(VideoDecodeException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Add(error.Path, error.Kind, error.Message);
    }

    /// <summary>Records a failure.</summary>
    public SkipRecord Add(string path, VideoErrorKind kind, string message)
    {
        ArgumentNullException.ThrowIfNull(path);
        var record = new SkipRecord(path, kind, message ?? string.Empty, _clock.GetUtcNow().UtcDateTime);
        lock (_gate)
        {
            _records.Add(record);
        }

        return record;
    }

    /// <summary>Writes all records to <see cref="FilePath"/> atomically (temp file + rename). No-op for an in-memory report.</summary>
    public void Flush()
    {
        if (FilePath is null)
        {
            return;
        }

        string text;
        lock (_gate)
        {
            var sb = new StringBuilder();
            foreach (var r in _records)
            {
                sb.Append(JsonSerializer.Serialize(r, JsonOptions)).Append('\n');
            }

            text = sb.ToString();
        }

        AtomicFile.WriteAllText(FilePath, text);
    }

    /// <summary>Reads a report written by <see cref="Flush"/>.</summary>
    public static IReadOnlyList<SkipRecord> Load(string filePath)
    {
        var list = new List<SkipRecord>();
        foreach (var line in File.ReadLines(filePath))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                list.Add(JsonSerializer.Deserialize<SkipRecord>(line, JsonOptions)
                    ?? throw new InvalidDataException($"{filePath}: a line is not a skip record: {line}"));
            }
        }

        return list;
    }
}

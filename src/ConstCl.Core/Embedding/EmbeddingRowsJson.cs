using System.Globalization;
using System.Text;
using System.Text.Json;
using ConstCl.IO;

namespace ConstCl.Embedding;

/// <summary>
/// <see cref="EmbeddingRow"/>s as JSON lines (one compact object per line, UTF-8 without BOM): the part files of an
/// <see cref="EmbeddingJob"/>, and the JSONL output and failure report of <c>constcl embed</c>.
/// </summary>
public static class EmbeddingRowsJson
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Reads a JSON-lines file (blank lines are skipped).</summary>
    /// <param name="path">A file written by <see cref="WriteFile"/> or by <c>constcl embed</c>.</param>
    /// <returns>The rows in file order.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="InvalidDataException">A damaged line (the message names the file and the line).</exception>
    public static List<EmbeddingRow> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var rows = new List<EmbeddingRow>();
        int number = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            EmbeddingRow? row;
            try
            {
                row = JsonSerializer.Deserialize<EmbeddingRow>(line, Json);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{path}:{number}: not an embedding row ({e.Message}). A damaged part file can be deleted: its videos are embedded again on the next run."), e);
            }

            rows.Add(row ?? throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}:{number}: the row is null.")));
        }

        return rows;
    }

    /// <summary>Writes the rows to <paramref name="stream"/> (left open).</summary>
    internal static void Write(Stream stream, IReadOnlyList<EmbeddingRow> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        foreach (var row in rows)
        {
            writer.Write(JsonSerializer.Serialize(row, Json));
            writer.Write('\n');
        }
    }

    /// <summary>Writes the rows to <paramref name="path"/> atomically (temporary file, flushed, then renamed; see <see cref="AtomicFile"/>).</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="rows">The rows, one line each.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/> is null.</exception>
    public static void WriteFile(string path, IReadOnlyList<EmbeddingRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        AtomicFile.Write(path, s => Write(s, rows), durable: true);
    }
}

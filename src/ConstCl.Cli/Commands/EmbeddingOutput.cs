using System.Globalization;
using System.Text;
using System.Text.Json;
using Parquet.Serialization;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Resumable output of <c>constcl embed</c>: rows are written in part files <c>&lt;out&gt;.parts/part-NNNNN.jsonl</c> (each written to a
/// temporary name and renamed, so a part is whole or absent), then merged into the final JSONL or Parquet file (also atomically).
/// A rerun reads the parts and skips the videos already embedded.
/// </summary>
internal static class EmbeddingOutput
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The parts folder of an output file.</summary>
    internal static string PartsDirectory(string output) => output + ".parts";

    /// <summary>The failure report next to an output file.</summary>
    internal static string FailureReport(string output) => output + ".failures.jsonl";

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
            rows.AddRange(ReadJsonLines(file));
        }

        return rows;
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
        WriteAtomically(Path.Combine(partsDirectory, string.Create(CultureInfo.InvariantCulture, $"part-{number:00000}.jsonl")), s => WriteJsonLines(s, rows));
    }

    /// <summary>Writes the final file: Parquet when <paramref name="output"/> ends in <c>.parquet</c>, JSON lines otherwise.</summary>
    internal static void WriteFinal(string output, IReadOnlyList<EmbeddingRow> rows)
    {
        bool parquet = output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
        WriteAtomically(output, s =>
        {
            if (parquet)
            {
                ParquetSerializer.SerializeAsync(rows, s).GetAwaiter().GetResult();
            }
            else
            {
                WriteJsonLines(s, rows);
            }
        });
    }

    /// <summary>Reads a final file back (JSONL or Parquet).</summary>
    internal static List<EmbeddingRow> ReadFinal(string output)
    {
        if (!output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return ReadJsonLines(output);
        }

        using var stream = File.OpenRead(output);
        var rows = ParquetSerializer.DeserializeAsync<EmbeddingRow>(stream).GetAwaiter().GetResult().Data;
        return rows.ToList();
    }

    /// <summary>Writes JSON lines to a file atomically.</summary>
    internal static void WriteJsonLinesFile(string path, IReadOnlyList<EmbeddingRow> rows) => WriteAtomically(path, s => WriteJsonLines(s, rows));

    /// <summary>Reads a JSON-lines file.</summary>
    internal static List<EmbeddingRow> ReadJsonLines(string path) =>
        File.ReadLines(path, Encoding.UTF8)
            .Where(l => l.Trim().Length > 0)
            .Select((l, i) => JsonSerializer.Deserialize<EmbeddingRow>(l, Json) ?? throw new InvalidDataException($"{path}: line {i + 1} is null."))
            .ToList();

    private static void WriteJsonLines(Stream stream, IReadOnlyList<EmbeddingRow> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        foreach (var row in rows)
        {
            writer.Write(JsonSerializer.Serialize(row, Json));
            writer.Write('\n');
        }
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}

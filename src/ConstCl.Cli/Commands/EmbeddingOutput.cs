using System.Globalization;
using System.Text;
using System.Text.Json;
using ConstCl.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet.Serialization;
using ConstCl.IO;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Resumable output of <c>constcl embed</c>: rows are written in part files <c>&lt;out&gt;.parts/part-NNNNN.jsonl</c> (each written to a
/// temporary name and renamed, so a part is whole or absent), then merged into the final JSONL, Parquet or ML.NET binary file
/// (also atomically; none of the three can be appended to safely, so the parts are the resumable state). A rerun reads the
/// parts and skips the videos already embedded.
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
        WriteAtomically(Path.Combine(partsDirectory, string.Create(CultureInfo.InvariantCulture, $"part-{number:00000}.jsonl")), s => WriteJsonLines(s, rows));
    }

    /// <summary>The format <paramref name="output"/>'s extension selects: <c>.parquet</c>, <c>.idv</c>, anything else JSON lines.</summary>
    internal static EmbeddingFormat FormatOf(string output) => Path.GetExtension(output).ToLowerInvariant() switch
    {
        ".parquet" => EmbeddingFormat.Parquet,
        ".idv" => EmbeddingFormat.MLNetBinary,
        _ => EmbeddingFormat.JsonLines,
    };

    /// <summary>
    /// Writes the final file atomically in the format of <see cref="FormatOf"/>. For <c>.idv</c> the columns are
    /// <c>VideoPath</c>, <c>Label</c> (text, empty when unknown), <c>Embedding</c> (<c>Vector&lt;Single, D&gt;</c>),
    /// <c>ClipFrameIndices</c> (<c>Vector&lt;Int32, K·T&gt;</c>), <c>FramesPerClip</c> (Int32), <c>ClipSpec</c> and
    /// <c>EncoderHash</c> (text): the names ConstCl.MLNet's embedding transformer uses, so a pipeline built on its output
    /// runs on the file.
    /// </summary>
    /// <param name="output">The file.</param>
    /// <param name="rows">The rows (no failed ones).</param>
    /// <param name="dimension">D for <c>.idv</c> (0: the first row's length; with no rows the vector size stays unknown).</param>
    /// <param name="clipIndexCount">K·T for <c>.idv</c> (0: the first row's).</param>
    internal static void WriteFinal(string output, IReadOnlyList<EmbeddingRow> rows, int dimension = 0, int clipIndexCount = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        switch (FormatOf(output))
        {
            case EmbeddingFormat.Parquet:
                WriteAtomically(output, s => ParquetSerializer.SerializeAsync(rows, s).GetAwaiter().GetResult());
                break;
            case EmbeddingFormat.MLNetBinary:
                WriteBinary(output, rows, dimension, clipIndexCount);
                break;
            default:
                WriteAtomically(output, s => WriteJsonLines(s, rows));
                break;
        }
    }

    /// <summary>Reads a final file back (JSONL, Parquet or <c>.idv</c>; an empty <c>.idv</c> label reads as null).</summary>
    internal static List<EmbeddingRow> ReadFinal(string output)
    {
        switch (FormatOf(output))
        {
            case EmbeddingFormat.Parquet:
                using (var stream = File.OpenRead(output))
                {
                    return ParquetSerializer.DeserializeAsync<EmbeddingRow>(stream).GetAwaiter().GetResult().Data.ToList();
                }

            case EmbeddingFormat.MLNetBinary:
                var ml = new MLContext(seed: 0);
                var data = EmbeddingFiles.Load(ml, output);
                return ml.Data.CreateEnumerable<EmbeddingRow>(data, reuseRowObject: false, schemaDefinition: BinarySchema(0, 0))
                    .Select(r =>
                    {
                        r.Label = string.IsNullOrEmpty(r.Label) ? null : r.Label;
                        return r;
                    })
                    .ToList();
            default:
                return ReadJsonLines(output);
        }
    }

    /// <summary>The ML.NET schema of an <c>.idv</c> row (sizes 0: unknown, for reading).</summary>
    private static SchemaDefinition BinarySchema(int dimension, int clipIndexCount)
    {
        var schema = SchemaDefinition.Create(typeof(EmbeddingRow));
        schema.RemoveAll(c => c.MemberName == nameof(EmbeddingRow.Error));
        foreach (var column in schema)
        {
            switch (column.MemberName)
            {
                case nameof(EmbeddingRow.Path):
                    column.ColumnName = "VideoPath";
                    break;
                case nameof(EmbeddingRow.Embedding) when dimension > 0:
                    column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
                    break;
                case nameof(EmbeddingRow.ClipFrameIndices) when clipIndexCount > 0:
                    column.ColumnType = new VectorDataViewType(NumberDataViewType.Int32, clipIndexCount);
                    break;
            }
        }

        return schema;
    }

    private static void WriteBinary(string output, IReadOnlyList<EmbeddingRow> rows, int dimension, int clipIndexCount)
    {
        dimension = dimension > 0 ? dimension : rows.Count > 0 ? rows[0].Embedding.Length : 0;
        clipIndexCount = clipIndexCount > 0 ? clipIndexCount : rows.Count > 0 ? rows[0].ClipFrameIndices.Length : 0;
        var bad = rows.FirstOrDefault(r => r.Embedding.Length != dimension || r.ClipFrameIndices.Length != clipIndexCount);
        if (bad is not null)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"{output}: every row needs {dimension} embedding values and {clipIndexCount} clip frame indices; '{bad.Path}' has {bad.Embedding.Length} and {bad.ClipFrameIndices.Length}."));
        }

        var ml = new MLContext(seed: 0);
        var copies = rows.Select(r => new EmbeddingRow
        {
            Path = r.Path,
            Label = r.Label ?? "",
            Embedding = r.Embedding,
            ClipFrameIndices = r.ClipFrameIndices,
            FramesPerClip = r.FramesPerClip,
            ClipSpec = r.ClipSpec,
            EncoderHash = r.EncoderHash,
        });
        EmbeddingFiles.SaveAsBinary(ml, ml.Data.LoadFromEnumerable(copies, BinarySchema(dimension, clipIndexCount)), output);
    }

    /// <summary>Writes JSON lines to a file atomically.</summary>
    internal static void WriteJsonLinesFile(string path, IReadOnlyList<EmbeddingRow> rows) => WriteAtomically(path, s => WriteJsonLines(s, rows));

    /// <summary>Reads a JSON-lines file; a damaged line throws <see cref="InvalidDataException"/> naming the file and the line.</summary>
    internal static List<EmbeddingRow> ReadJsonLines(string path)
    {
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

    private static void WriteJsonLines(Stream stream, IReadOnlyList<EmbeddingRow> rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        foreach (var row in rows)
        {
            writer.Write(JsonSerializer.Serialize(row, Json));
            writer.Write('\n');
        }
    }

    private static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, write, durable: true);
}

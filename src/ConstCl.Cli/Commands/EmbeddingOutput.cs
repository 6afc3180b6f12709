using System.Globalization;
using ConstCl.Embedding;
using ConstCl.MLNet;
using Microsoft.ML;
using Microsoft.ML.Data;
using Parquet.Serialization;
using ConstCl.IO;

namespace ConstCl.Cli.Commands;

/// <summary>
/// The files of <c>constcl embed</c>: Core's <see cref="EmbeddingJob"/> keeps its resumable state in part files
/// <c>&lt;out&gt;.parts/part-NNNNN.jsonl</c>; this class names that folder and writes the final JSONL, Parquet or ML.NET binary
/// file atomically (none of the three can be appended to safely, so the parts are the resumable state) and reads it back.
/// </summary>
internal static class EmbeddingOutput
{
    /// <summary>The parts folder of an output file.</summary>
    internal static string PartsDirectory(string output) => output + ".parts";

    /// <summary>The failure report next to an output file.</summary>
    internal static string FailureReport(string output) => output + ".failures.jsonl";

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
                EmbeddingRowsJson.WriteFile(output, rows);
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
    internal static void WriteJsonLinesFile(string path, IReadOnlyList<EmbeddingRow> rows) => EmbeddingRowsJson.WriteFile(path, rows);

    /// <summary>Reads a JSON-lines file; a damaged line throws <see cref="InvalidDataException"/> naming the file and the line.</summary>
    internal static List<EmbeddingRow> ReadJsonLines(string path) => EmbeddingRowsJson.Read(path);

    private static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, write, durable: true);
}

using Microsoft.ML;
using Microsoft.ML.Data;
using ConstCl.IO;

namespace ConstCl.MLNet;

/// <summary>
/// Embedding tables as ML.NET binary data (<c>.idv</c>): compute embeddings once (with the embedding transformer or
/// <c>constcl embed --out FILE.idv</c>), then train any number of probes on the file without decoding a video again.
/// The file keeps each column's type, so <c>Embedding</c> loads as the known-size <c>Vector&lt;Single, D&gt;</c> that
/// ML.NET trainers take as features.
/// </summary>
public static class EmbeddingFiles
{
    /// <summary>The embedding column's default name, as the ConST-CL embedding transformer writes it.</summary>
    public const string DefaultEmbeddingColumn = "Embedding";

    /// <summary>
    /// Saves <paramref name="data"/> (for example the output of the embedding transformer) with
    /// <c>mlContext.Data.SaveAsBinary</c>, keeping only <paramref name="columns"/> when given (in that order). The file is
    /// written under a temporary name and renamed, so <paramref name="path"/> is either the whole new file or untouched.
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="data">The rows to save.</param>
    /// <param name="path">The <c>.idv</c> file; its folder is created.</param>
    /// <param name="columns">The columns to keep (none: every visible column).</param>
    public static void SaveAsBinary(MLContext ml, IDataView data, string path, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(columns);
        foreach (var column in columns)
        {
            if (data.Schema.GetColumnOrNull(column) is null)
            {
                throw new ArgumentException($"Column '{column}' is not in the data (columns: {string.Join(", ", data.Schema.Select(c => c.Name))}).", nameof(columns));
            }
        }

        var view = columns.Length == 0 ? data : ml.Transforms.SelectColumns(columns).Fit(data).Transform(data);
        AtomicFile.Write(path, stream => ml.Data.SaveAsBinary(view, stream, keepHidden: false), durable: true);
    }

    /// <summary>
    /// Reads a binary embedding file (<c>mlContext.Data.LoadFromBinary</c>) and checks that its embedding column is a
    /// known-size vector of <see cref="float"/>, the type trainers need.
    /// </summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="path">A file written by <see cref="SaveAsBinary"/> or by <c>constcl embed --out FILE.idv</c>.</param>
    /// <param name="embeddingColumn">The column to check (null: no check).</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The embedding column is missing or not a known-size float vector.</exception>
    public static IDataView Load(MLContext ml, string path, string? embeddingColumn = DefaultEmbeddingColumn)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Embedding file '{path}' does not exist.", path);
        }

        var data = ml.Data.LoadFromBinary(path);
        if (embeddingColumn is null)
        {
            return data;
        }

        var column = data.Schema.GetColumnOrNull(embeddingColumn)
            ?? throw new InvalidDataException($"Embedding file '{path}' has no column '{embeddingColumn}' (columns: {string.Join(", ", data.Schema.Select(c => c.Name))}).");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType item, IsKnownSize: true } || item.RawType != typeof(float))
        {
            throw new InvalidDataException($"Embedding file '{path}': column '{embeddingColumn}' is {column.Type}; expected a known-size vector of Single.");
        }

        return data;
    }
}

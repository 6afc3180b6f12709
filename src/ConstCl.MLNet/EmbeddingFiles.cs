using Microsoft.ML;

namespace ConstCl.MLNet;

/// <summary>Writes embeddings as ML.NET binary data (<c>.idv</c>) for later training without decoding again.</summary>
internal static class EmbeddingFiles
{
    /// <summary>
    /// Saves <paramref name="data"/> (for example the output of the embedding transformer) with
    /// <c>mlContext.Data.SaveAsBinary</c>, keeping only <paramref name="columns"/> when given; temp file, then rename.
    /// </summary>
    public static void SaveAsBinary(MLContext ml, IDataView data, string path, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var view = columns.Length == 0 ? data : ml.Transforms.SelectColumns(columns).Fit(data).Transform(data);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                ml.Data.SaveAsBinary(view, stream, keepHidden: false);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Reads a file written by <see cref="SaveAsBinary"/>.</summary>
    public static IDataView Load(MLContext ml, string path) => ml.Data.LoadFromBinary(path);
}

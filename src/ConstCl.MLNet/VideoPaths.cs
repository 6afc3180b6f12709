using Microsoft.ML;

namespace ConstCl.MLNet;

/// <summary>Reads the video-path column of a data view (its schema must have been checked).</summary>
internal static class VideoPaths
{
    /// <summary>Every value of the text column <paramref name="column"/>, in row order.</summary>
    public static List<string> Read(IDataView input, string column)
    {
        var found = input.Schema[column];
        var paths = new List<string>();
        using var cursor = input.GetRowCursor([found]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(found);
        var value = default(ReadOnlyMemory<char>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            paths.Add(value.ToString());
        }

        return paths;
    }

    /// <summary>
    /// Strict mode's up-front check: every path (resolved against the base folder) names an existing file or frame
    /// folder; otherwise throws ConstCl's error naming the first missing one, before any decoding or training.
    /// </summary>
    public static void RequireExisting(IReadOnlyList<string> paths, SavedClipSpec spec)
    {
        var missing = paths.Distinct(StringComparer.Ordinal).Where(p => !File.Exists(spec.Resolve(p)) && !Directory.Exists(spec.Resolve(p))).ToList();
        if (missing.Count > 0)
        {
            var more = missing.Count > 1 ? $" ({missing.Count - 1} more of the column's videos are missing too)" : "";
            var resolved = spec.Resolve(missing[0]);
            throw new VideoEmbeddingException(missing[0], new FileNotFoundException($"The file '{resolved}' does not exist{more}.", resolved));
        }
    }
}

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
}

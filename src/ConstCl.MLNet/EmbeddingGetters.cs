using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>
/// The getters of the added columns (the embedding, and <c>EmbeddingIsValid</c> when skipping), shared by the
/// streaming cursor and the row of the row-to-row mapper. <c>current</c> returns the current row's path
/// and result; in strict mode a video that cannot be decoded throws ConstCl's error naming it.
/// </summary>
internal static class EmbeddingGetters
{
    public static ValueGetter<TValue> Make<TValue>(DataViewSchema.Column column, int inputCount, int dimension, bool skipInvalid, Func<(string Path, RowEmbedder.Entry Entry)> current)
    {
        if (column.Index == inputCount)
        {
            ValueGetter<VBuffer<float>> embedding = (ref VBuffer<float> value) =>
            {
                var (path, entry) = current();
                var source = skipInvalid ? entry.Embedding : entry.EmbeddingOrThrow(path);
                var editor = VBufferEditor.Create(ref value, dimension);
                if (source is not null)
                {
                    source.CopyTo(editor.Values);
                }
                else
                {
                    editor.Values.Clear();
                }

                value = editor.Commit();
            };
            return embedding as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is a vector of Single, not {typeof(TValue).Name}.");
        }

        ValueGetter<bool> valid = (ref bool value) => value = current().Entry.Embedding is not null;
        return valid as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is Boolean, not {typeof(TValue).Name}.");
    }

    /// <summary>Reads the text value of <paramref name="getter"/>.</summary>
    public static string Read(ValueGetter<ReadOnlyMemory<char>> getter)
    {
        var value = default(ReadOnlyMemory<char>);
        getter(ref value);
        return value.ToString();
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>
/// The transformer as an <see cref="IRowToRowMapper"/> (what <c>PredictionEngine</c> and ML.NET's transformer chains
/// use): each row read embeds its one video; nothing is kept once the row moves on.
/// </summary>
internal sealed class EmbeddingRowMapper : IRowToRowMapper
{
    private readonly RowEmbedder _embedder;
    private readonly int _pathIndex;
    private readonly bool _skipInvalid;

    public EmbeddingRowMapper(DataViewSchema inputSchema, DataViewSchema outputSchema, TransformerSettings settings, RowEmbedder embedder)
    {
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        _embedder = embedder;
        _pathIndex = inputSchema[settings.VideoPathColumnName].Index;
        _skipInvalid = settings.Spec.SkipInvalid;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>The input columns among <paramref name="dependingColumns"/>, plus the path column when an added column is wanted.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var wanted = dependingColumns.Select(c => c.Index).ToHashSet();
        var added = wanted.Any(i => i >= InputSchema.Count);
        return InputSchema.Where(c => wanted.Contains(c.Index) || (added && c.Index == _pathIndex)).ToList();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly EmbeddingRowMapper _parent;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly ValueGetter<ReadOnlyMemory<char>>? _path;
        private long _position = -1;
        private (string Path, RowEmbedder.Entry Entry) _current;

        public Row(EmbeddingRowMapper parent, DataViewRow input, HashSet<int> active)
        {
            _parent = parent;
            _input = input;
            _active = active;
            var pathColumn = input.Schema[parent._pathIndex];
            if (input.IsColumnActive(pathColumn))
            {
                _path = input.GetGetter<ReadOnlyMemory<char>>(pathColumn);
            }
        }

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override DataViewSchema Schema => _parent.OutputSchema;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _parent.InputSchema.Count)
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }

            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the row was created.");
            }

            return EmbeddingGetters.Make<TValue>(column, _parent.InputSchema.Count, _parent._embedder.Dimension, _parent._skipInvalid, Current);
        }

        private (string Path, RowEmbedder.Entry Entry) Current()
        {
            // A prediction engine moves its input row to the next example by advancing Position.
            if (_position != _input.Position || _current.Entry is null)
            {
                var path = EmbeddingGetters.Read(_path!);
                _current = (path, _parent._embedder.Embed([path])[0]);
                _position = _input.Position;
            }

            return _current;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>
/// The in-process output of <see cref="ConstClVideoEmbeddingTransformer"/>: the input columns, then the embedding (and,
/// with SkipInvalidVideos, <c>EmbeddingIsValid</c>). Lazy: nothing is decoded until a cursor reads an added column.
/// </summary>
internal sealed class EmbeddingDataView : IDataView
{
    private readonly IDataView _input;
    private readonly TransformerSettings _settings;
    private readonly EmbeddingCache _cache;
    private readonly int _inputCount;
    private readonly int _pathIndex;
    private readonly bool _withValid;

    public EmbeddingDataView(IDataView input, DataViewSchema outputSchema, TransformerSettings settings, EmbeddingCache cache, int dimension)
    {
        _input = input;
        _settings = settings;
        Schema = outputSchema;
        _cache = cache;
        _inputCount = input.Schema.Count;
        _pathIndex = input.Schema[settings.VideoPathColumnName].Index;
        _withValid = settings.Spec.SkipInvalid;
        Dimension = dimension;
    }

    public int Dimension { get; }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        var inputNeeded = _input.Schema.Where(c => needed.Contains(c.Index) || (c.Index == _pathIndex && needed.Any(i => i >= _inputCount)));
        return new Cursor(this, _input.GetRowCursor(inputNeeded, rand), needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private IEnumerable<string> AllPaths()
    {
        using var cursor = _input.GetRowCursor([_input.Schema[_pathIndex]]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(_input.Schema[_pathIndex]);
        var value = default(ReadOnlyMemory<char>);
        var paths = new List<string>();
        while (cursor.MoveNext())
        {
            getter(ref value);
            paths.Add(value.ToString());
        }

        return paths;
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly EmbeddingDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly HashSet<int> _active;
        private readonly ValueGetter<ReadOnlyMemory<char>>? _path;
        private long _cachedPosition = -1;
        private EmbeddingCache.Entry? _entry;
        private string _entryPath = "";

        public Cursor(EmbeddingDataView parent, DataViewRowCursor input, HashSet<int> active)
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

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext() => _input.MoveNext();

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _parent._inputCount)
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }

            if (!IsColumnActive(column))
            {
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            }

            if (column.Index == _parent._inputCount)
            {
                ValueGetter<VBuffer<float>> embedding = (ref VBuffer<float> value) =>
                {
                    var entry = Current();
                    var editor = VBufferEditor.Create(ref value, _parent.Dimension);
                    if (entry.Embedding is { } e)
                    {
                        e.CopyTo(editor.Values);
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

            ValueGetter<bool> valid = (ref bool value) => value = Current().Embedding is not null;
            return valid as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is Boolean, not {typeof(TValue).Name}.");
        }

        private EmbeddingCache.Entry Current()
        {
            if (_cachedPosition != _input.Position || _entry is null)
            {
                var path = default(ReadOnlyMemory<char>);
                _path!(ref path);
                _entryPath = path.ToString();
                _entry = _parent._cache.Get(_entryPath, _parent.AllPaths);
                _cachedPosition = _input.Position;
            }

            if (_entry.Error is { } error && !_parent._withValid)
            {
                throw new InvalidOperationException(EmbeddingErrors.CannotDecode(_entryPath, error), error);
            }

            return _entry;
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

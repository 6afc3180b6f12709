using Microsoft.ML;
using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>
/// The in-process output of <see cref="ConstClVideoEmbeddingTransformer"/>: the input columns, then the embedding (and,
/// with SkipInvalidVideos, <c>EmbeddingIsValid</c>). Streams: a cursor embeds a video when its row is read, nothing is
/// kept after the cursor moves on. For throughput an unshuffled cursor looks ahead a bounded number of rows (a second
/// cursor over the path column only) and embeds them as one batch; the look-ahead starts at one row and doubles up to
/// the videos whose views fill one forward pass (BatchSize clips, at least one video), so reading one row embeds one video.
/// </summary>
internal sealed class EmbeddingDataView : IDataView
{
    private readonly IDataView _input;
    private readonly RowEmbedder _embedder;
    private readonly int _inputCount;
    private readonly int _pathIndex;
    private readonly int _maxLookAhead;
    private readonly bool _skipInvalid;

    public EmbeddingDataView(IDataView input, DataViewSchema outputSchema, TransformerSettings settings, RowEmbedder embedder)
    {
        _input = input;
        Schema = outputSchema;
        _embedder = embedder;
        _inputCount = input.Schema.Count;
        _pathIndex = input.Schema[settings.VideoPathColumnName].Index;
        _maxLookAhead = Math.Max(1, settings.BatchSize / settings.Spec.Clips.ViewCount);   // videos whose views fill a forward pass
        _skipInvalid = settings.Spec.SkipInvalid;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var (inputNeeded, active, added) = Needed(columnsNeeded);
        var lookAhead = added && rand is null ? _input.GetRowCursor([_input.Schema[_pathIndex]]) : null;
        return new Cursor(this, _input.GetRowCursor(inputNeeded, rand), active, lookAhead);
    }

    /// <summary>
    /// One cursor per input cursor: the videos are embedded on the consumer's threads, so ML.NET never has to split
    /// this view itself. With several cursors each embeds row by row (they cannot share a look-ahead).
    /// </summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var (inputNeeded, active, added) = Needed(columnsNeeded);
        var inputs = _input.GetRowCursorSet(inputNeeded, n, rand);
        if (inputs.Length == 1)
        {
            inputs[0].Dispose();
            return [GetRowCursor(columnsNeeded, rand)];
        }

        return inputs.Select(c => (DataViewRowCursor)new Cursor(this, c, active, null)).ToArray();
    }

    private (List<DataViewSchema.Column> Input, HashSet<int> Active, bool Added) Needed(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        var active = columnsNeeded.Select(c => c.Index).ToHashSet();
        var added = active.Any(i => i >= _inputCount);
        var input = _input.Schema.Where(c => active.Contains(c.Index) || (added && c.Index == _pathIndex)).ToList();
        return (input, active, added);
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly EmbeddingDataView _parent;
        private readonly DataViewRowCursor _input;
        private readonly HashSet<int> _active;
        private readonly ValueGetter<ReadOnlyMemory<char>>? _path;
        private readonly DataViewRowCursor? _lookAhead;
        private readonly ValueGetter<ReadOnlyMemory<char>>? _lookAheadPath;
        private readonly Dictionary<long, (string Path, RowEmbedder.Entry Entry)> _batch = [];
        private int _nextBatch = 1;
        private long _currentPosition = -1;
        private (string Path, RowEmbedder.Entry Entry) _current;

        public Cursor(EmbeddingDataView parent, DataViewRowCursor input, HashSet<int> active, DataViewRowCursor? lookAhead)
        {
            _parent = parent;
            _input = input;
            _active = active;
            var pathColumn = input.Schema[parent._pathIndex];
            if (input.IsColumnActive(pathColumn))
            {
                _path = input.GetGetter<ReadOnlyMemory<char>>(pathColumn);
            }

            _lookAhead = lookAhead;
            _lookAheadPath = lookAhead?.GetGetter<ReadOnlyMemory<char>>(lookAhead.Schema[parent._pathIndex]);
        }

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override DataViewSchema Schema => _parent.Schema;

        public override bool MoveNext()
        {
            _batch.Remove(_input.Position);   // what has been read is not kept
            return _input.MoveNext();
        }

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

            return EmbeddingGetters.Make<TValue>(column, _parent._inputCount, _parent._embedder.Dimension, _parent._skipInvalid, Current);
        }

        private (string Path, RowEmbedder.Entry Entry) Current()
        {
            if (_currentPosition != _input.Position)
            {
                var path = EmbeddingGetters.Read(_path!);
                if (!_batch.TryGetValue(_input.Position, out _current) || _current.Path != path)
                {
                    _batch.Clear();
                    FillBatch(path);
                    _current = _batch[_input.Position];
                }

                _currentPosition = _input.Position;
            }

            return _current;
        }

        /// <summary>Embeds the current row and, when looking ahead, the next rows of the path cursor, as one batch.</summary>
        private void FillBatch(string path)
        {
            var position = _input.Position;
            var paths = new List<string> { path };
            if (_lookAhead is not null)
            {
                while (_lookAhead.Position < position && _lookAhead.MoveNext())
                {
                }

                // The path cursor must be on this very row (same order, same path); otherwise embed this row alone.
                if (_lookAhead.Position == position && EmbeddingGetters.Read(_lookAheadPath!) == path)
                {
                    while (paths.Count < _nextBatch && _lookAhead.MoveNext())
                    {
                        paths.Add(EmbeddingGetters.Read(_lookAheadPath!));
                    }

                    _nextBatch = Math.Min(_nextBatch * 2, _parent._maxLookAhead);
                }
            }

            var entries = _parent._embedder.Embed(paths);
            for (var i = 0; i < paths.Count; i++)
            {
                _batch[position + i] = (paths[i], entries[i]);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _input.Dispose();
                _lookAhead?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

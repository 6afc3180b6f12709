using ConstCl.Core.Tests.Modeling;
using ConstCl.Data;
using ConstCl.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// A deterministic <see cref="IPretrainingBatchSource"/> for loop tests: batch <c>k</c> is random two-view clips and boxes
/// drawn from a generator seeded by (seed, k mod <see cref="Pool"/>), in libtorch-allocated memory (bitwise reproducible).
/// Hooks make it cancel at a given batch or return non-finite inputs.
/// </summary>
internal sealed class FakeBatchSource : IPretrainingBatchSource
{
    private readonly ConstClModelOptions _model;
    private readonly long _seed;

    public FakeBatchSource(ConstClModelOptions model, int batchSize, long seed, int boxes = 4, int pool = int.MaxValue)
    {
        _model = model;
        _seed = seed;
        BatchSize = batchSize;
        Boxes = boxes;
        Pool = pool;
    }

    public int BatchSize { get; }

    public int Boxes { get; }

    /// <summary>Batches repeat after this many (a fixed small data set when small).</summary>
    public int Pool { get; }

    public int VideosPerEpoch => Math.Min(Pool, 1000) * BatchSize;

    public long Position { get; private set; }

    public TimeSpan WaitTime => TimeSpan.Zero;

    /// <summary>Called with the batch index before it is made; may cancel the run's token (then Next throws).</summary>
    public Action<long>? BeforeNext { get; init; }

    /// <summary>Batches whose views are all NaN.</summary>
    public Func<long, bool>? NonFinite { get; init; }

    /// <summary>Indices handed out, in order.</summary>
    public List<long> Served { get; } = [];

    public void Seek(long position) => Position = position;

    public PretrainingBatch Next(CancellationToken cancellationToken = default)
    {
        BeforeNext?.Invoke(Position);
        cancellationToken.ThrowIfCancellationRequested();
        var index = Position;
        var input = ModelTestData.Input(BatchSize, _model.InputFrames, _model.InputSize, Boxes, _seed * 1_000_003 + index % Pool);
        if (NonFinite?.Invoke(index) == true)
        {
            input = input with { ViewA = input.ViewA * double.NaN };
        }

        Served.Add(index);
        Position++;
        return new PretrainingBatch(index, (int)(index * BatchSize / VideosPerEpoch), input, Enumerable.Range(0, BatchSize).Select(i => $"fake/{index}/{i}").ToArray());
    }

    public void Dispose()
    {
    }
}

namespace ConstCl.MLNet.Evaluation;

/// <summary>One ML.NET row of a probe: a key label (class index + 1; 0 would be missing) and the embedding.</summary>
internal sealed class ProbeRow
{
    /// <summary>Key value, class index + 1.</summary>
    public uint Label { get; set; }

    /// <summary>The embedding <c>[D]</c>; the column's size is set at run time by <see cref="LinearProbe"/>.</summary>
    public float[] Features { get; set; } = [];
}

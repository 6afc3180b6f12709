namespace ConstCl.MLNet.Evaluation;

/// <summary>One ML.NET row of a probe: a key label and the embedding.</summary>
internal sealed class ProbeRow
{
    /// <summary>
    /// The zero-based class index. <c>LoadFromEnumerable</c> stores a key-typed <c>uint</c> member as value + 1 (key values
    /// are one-based, 0 meaning missing), so the class index goes in as it is.
    /// </summary>
    public uint Label { get; set; }

    /// <summary>The embedding <c>[D]</c>; the column's size is set at run time by <see cref="LinearProbe"/>.</summary>
    public float[] Features { get; set; } = [];
}

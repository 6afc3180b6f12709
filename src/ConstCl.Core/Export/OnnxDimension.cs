namespace ConstCl.Export;

/// <summary>
/// One dimension of a declared ONNX graph input or output: a fixed size or a named symbolic size
/// (<c>dim_param</c>, for example the batch dimension "N").
/// </summary>
internal readonly record struct OnnxDimension
{
    private OnnxDimension(long? value, string? symbol)
    {
        Value = value;
        Symbol = symbol;
    }

    /// <summary>The fixed size, or null for a symbolic dimension.</summary>
    public long? Value { get; }

    /// <summary>The symbolic name, or null for a fixed dimension.</summary>
    public string? Symbol { get; }

    /// <summary>A dimension of known size (at least 1).</summary>
    public static OnnxDimension Fixed(long value) => value >= 1
        ? new OnnxDimension(value, null)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "A fixed ONNX dimension must be at least 1.");

    /// <summary>A dimension whose size is known only at run time, named by <paramref name="symbol"/>.</summary>
    public static OnnxDimension Symbolic(string symbol) => !string.IsNullOrWhiteSpace(symbol)
        ? new OnnxDimension(null, symbol)
        : throw new ArgumentException("A symbolic ONNX dimension needs a non-empty name.", nameof(symbol));

    /// <summary>Fixed when <paramref name="value"/> has a value, otherwise symbolic named <paramref name="symbol"/>.</summary>
    public static OnnxDimension FixedOr(long? value, string symbol) => value is { } v ? Fixed(v) : Symbolic(symbol);

    /// <inheritdoc />
    public override string ToString() => Symbol ?? Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

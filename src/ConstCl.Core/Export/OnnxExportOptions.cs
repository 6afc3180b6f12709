namespace ConstCl.Export;

/// <summary>Options of <see cref="OnnxExporter"/>. Defaults are the ones the embedding transformer uses.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>Input layout (default <see cref="OnnxInputLayout.Clips"/>: <c>[N, 3, T, H, W]</c> → <c>[N, D]</c>).</summary>
    public OnnxInputLayout InputLayout { get; init; } = OnnxInputLayout.Clips;

    /// <summary>Fold every batch norm into the convolution before it (default true; one Conv per conv-BN pair).</summary>
    public bool FoldBatchNorm { get; init; } = true;

    /// <summary>Average the encoder's <c>[N, D, T′, H′, W′]</c> output over T′, H′, W′ (default true). Set false when the module already returns <c>[N, D]</c>.</summary>
    public bool GlobalAveragePool { get; init; } = true;

    /// <summary>L2-normalise the embedding, as <c>F.normalize(x, dim: 1, eps: 1e-12)</c> (default true).</summary>
    public bool L2Normalize { get; init; } = true;

    /// <summary>Name of the clip input (default "clips").</summary>
    public string InputName { get; init; } = "clips";

    /// <summary>Name of the int64 <c>[5]</c> clip-shape input of <see cref="OnnxInputLayout.FlatClips"/> (default "clip_shape").</summary>
    public string ShapeInputName { get; init; } = "clip_shape";

    /// <summary>Name of the embedding output (default "embedding").</summary>
    public string OutputName { get; init; } = "embedding";

    /// <summary>Input channels C declared on the 5-D input (default 3).</summary>
    public long Channels { get; init; } = 3;

    /// <summary>Declared frame count T of the 5-D input, or null for a symbolic "T" (default).</summary>
    public long? Frames { get; init; }

    /// <summary>Declared height H of the 5-D input, or null for a symbolic "H" (default).</summary>
    public long? Height { get; init; }

    /// <summary>Declared width W of the 5-D input, or null for a symbolic "W" (default).</summary>
    public long? Width { get; init; }

    /// <summary>Embedding width D; null infers it from the last convolution or linear layer.</summary>
    public long? EmbeddingDimension { get; init; }

    /// <summary>Multiplies the input first (for example 2/255 for 0..255 pixel values); 1 emits nothing.</summary>
    public float InputScale { get; init; } = 1f;

    /// <summary>Added to the input after <see cref="InputScale"/> (for example −1 to map 0..2 to −1..1); 0 emits nothing.</summary>
    public float InputOffset { get; init; }

    /// <summary>
    /// <see cref="OnnxInputLayout.FlatClips"/> only: the name of an extra float <c>[1]</c> input that multiplies the embedding
    /// (after <see cref="L2Normalize"/> and <see cref="OutputMean"/>/<see cref="OutputScale"/>): 1 keeps it, 0 gives the zero
    /// vector (how a saved ML.NET model emits a video it skipped). Null (default): no such input.
    /// </summary>
    public string? ClipWeightInputName { get; init; }

    /// <summary>
    /// With <see cref="OutputScale"/>: a per-dimension standardisation of the embedding, <c>y = (e − OutputMean) · OutputScale</c>
    /// (float32 <c>Sub</c> then <c>Mul</c>, after <see cref="L2Normalize"/>), both of length D. Null (default): none.
    /// </summary>
    public float[]? OutputMean { get; init; }

    /// <summary>The per-dimension factor of the standardisation (see <see cref="OutputMean"/>); set both or neither.</summary>
    public float[]? OutputScale { get; init; }

    /// <summary>
    /// <see cref="OnnxInputLayout.FlatClips"/> only: declare the output as <c>[D]</c> instead of <c>[1, D]</c> (ML.NET then types
    /// it as <c>Vector&lt;Single, D&gt;</c>, not <c>Vector&lt;Single, 1, D&gt;</c>). Default false.
    /// </summary>
    public bool VectorOutput { get; init; }

    /// <summary>Name of the ONNX graph (default "constcl_encoder").</summary>
    public string GraphName { get; init; } = "constcl_encoder";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(InputLayout))
        {
            throw new ArgumentException($"InputLayout {InputLayout} is not a known layout.", nameof(InputLayout));
        }

        foreach (var (name, value) in new[] { (nameof(InputName), InputName), (nameof(ShapeInputName), ShapeInputName), (nameof(OutputName), OutputName), (nameof(GraphName), GraphName) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"{name} must be a non-empty ONNX value name.", name);
            }
        }

        bool flat = InputLayout == OnnxInputLayout.FlatClips;
        if (!flat && (ClipWeightInputName is not null || VectorOutput))
        {
            throw new ArgumentException($"{nameof(ClipWeightInputName)} and {nameof(VectorOutput)} apply to the FlatClips layout only.", nameof(ClipWeightInputName));
        }

        if (ClipWeightInputName is not null && string.IsNullOrWhiteSpace(ClipWeightInputName))
        {
            throw new ArgumentException($"{nameof(ClipWeightInputName)} must be null or a non-empty ONNX value name.", nameof(ClipWeightInputName));
        }

        if ((OutputMean is null) != (OutputScale is null) || (OutputMean is not null && (OutputMean.Length == 0 || OutputMean.Length != OutputScale!.Length)))
        {
            throw new ArgumentException(
                $"{nameof(OutputMean)} and {nameof(OutputScale)} go together and must have the same, non-zero length; got {OutputMean?.Length.ToString() ?? "null"} and {OutputScale?.Length.ToString() ?? "null"}.",
                nameof(OutputMean));
        }

        if (OutputMean is not null && (OutputMean.Any(v => !float.IsFinite(v)) || OutputScale!.Any(v => !float.IsFinite(v))))
        {
            throw new ArgumentException($"{nameof(OutputMean)} and {nameof(OutputScale)} must hold finite numbers.", nameof(OutputMean));
        }

        var names = flat ? new[] { InputName, ShapeInputName, OutputName } : [InputName, OutputName];
        if (ClipWeightInputName is not null)
        {
            names = [.. names, ClipWeightInputName];
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException($"Input and output names must differ; got {string.Join(", ", names)}.", nameof(OutputName));
        }

        foreach (var (name, value) in new[] { (nameof(Channels), (long?)Channels), (nameof(Frames), Frames), (nameof(Height), Height), (nameof(Width), Width), (nameof(EmbeddingDimension), EmbeddingDimension) })
        {
            if (value is < 1)
            {
                throw new ArgumentException($"{name} must be at least 1 (or null where allowed); got {value}.", name);
            }
        }

        if (!float.IsFinite(InputScale) || InputScale == 0f || !float.IsFinite(InputOffset))
        {
            throw new ArgumentException($"InputScale must be finite and non-zero and InputOffset finite; got {InputScale} and {InputOffset}.", nameof(InputScale));
        }
    }
}

using static TorchSharp.torch;

namespace ConstCl.Checkpoints;

/// <summary>A verified encoder file: model options, weights and checksums. Dispose it to free the weights.</summary>
public sealed class EncoderFileContents : IDisposable
{
    private Dictionary<string, Tensor>? _weights;

    internal EncoderFileContents(string path, int formatVersion, string encoderType, string modelOptionsJson, string weightsSha256, Dictionary<string, Tensor> weights)
    {
        Path = path;
        FormatVersion = formatVersion;
        EncoderType = encoderType;
        ModelOptionsJson = modelOptionsJson;
        WeightsSha256 = weightsSha256;
        _weights = weights;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The file's format version.</summary>
    public int FormatVersion { get; }

    /// <summary>The .NET type of the module that was saved (informational).</summary>
    public string EncoderType { get; }

    /// <summary>The model options JSON the encoder was built from.</summary>
    public string ModelOptionsJson { get; }

    /// <summary>SHA-256 (hex) of the weights section, verified on load.</summary>
    public string WeightsSha256 { get; }

    /// <summary>The saved state dict (CPU tensors, owned by this object).</summary>
    public IReadOnlyDictionary<string, Tensor> Weights =>
        _weights ?? throw new ObjectDisposedException(nameof(EncoderFileContents), $"The contents of '{Path}' were disposed.");

    /// <summary>Copies the weights into a freshly built encoder of the same architecture (names, shapes and dtypes must match).</summary>
    /// <param name="encoder">The encoder to load.</param>
    public void LoadInto(nn.Module encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        NamedTensorCodec.LoadInto(encoder, Weights, $"encoder file '{Path}'");
    }

    /// <summary>Frees the weights.</summary>
    public void Dispose()
    {
        foreach (var t in _weights?.Values ?? Enumerable.Empty<Tensor>())
        {
            t.Dispose();
        }

        _weights = null;
    }
}

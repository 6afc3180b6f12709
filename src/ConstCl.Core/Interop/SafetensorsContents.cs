using static TorchSharp.torch;

namespace ConstCl.Interop;

/// <summary>What <see cref="SafetensorsFile.Read"/> found: the metadata strings and the tensors (CPU, owned by this object).</summary>
internal sealed class SafetensorsContents : IDisposable
{
    private readonly Dictionary<string, Tensor> _tensors;

    internal SafetensorsContents(string path, IReadOnlyDictionary<string, string> metadata, Dictionary<string, Tensor> tensors)
    {
        Path = path;
        Metadata = metadata;
        _tensors = tensors;
    }

    /// <summary>The file read.</summary>
    internal string Path { get; }

    /// <summary>The header's <c>__metadata__</c> entries (empty when absent).</summary>
    internal IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensors by name, in the file's dtypes.</summary>
    internal IReadOnlyDictionary<string, Tensor> Tensors => _tensors;

    /// <summary>Frees the tensors.</summary>
    public void Dispose()
    {
        foreach (var t in _tensors.Values)
        {
            t.Dispose();
        }

        _tensors.Clear();
    }
}

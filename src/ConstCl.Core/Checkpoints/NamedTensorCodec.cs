using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Checkpoints;

/// <summary>
/// Serialises named tensors as raw bytes with their dtype and shape, in the caller's order:
/// <c>count:int32 | { name:string | dtype:int32 | ndim:int32 | dims:int64[ndim] | byteCount:int64 | bytes }</c>.
/// Bytes are copied exactly (no conversion), so a round trip is bitwise.
/// </summary>
internal static class NamedTensorCodec
{
    public static void Write(Stream output, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        var list = tensors.ToArray();
        using var writer = new BinaryWriter(output, Encoding.UTF8, leaveOpen: true);
        writer.Write(list.Length);
        foreach (var (name, tensor) in list)
        {
            using var scope = torch.NewDisposeScope();
            var cpu = tensor.detach().cpu().contiguous();
            writer.Write(name);
            writer.Write((int)cpu.dtype);
            writer.Write((int)cpu.ndim);
            foreach (var d in cpu.shape)
            {
                writer.Write(d);
            }

            var bytes = cpu.numel() == 0 ? Span<byte>.Empty : cpu.bytes;
            writer.Write((long)bytes.Length);
            writer.Write(bytes);
        }
    }

    /// <summary>Reads tensors written by <see cref="Write"/> into new CPU tensors (the caller owns them).</summary>
    public static Dictionary<string, Tensor> Read(byte[] payload, string what)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var dtype = (ScalarType)reader.ReadInt32();
                var ndim = reader.ReadInt32();
                if (ndim < 0 || ndim > 16)
                {
                    throw new InvalidDataException($"tensor '{name}' has {ndim} dimensions");
                }

                var shape = new long[ndim];
                for (var d = 0; d < ndim; d++)
                {
                    shape[d] = reader.ReadInt64();
                }

                var byteCount = reader.ReadInt64();
                var tensor = torch.empty(shape, dtype: dtype);
                result.Add(name, tensor);
                if (byteCount != tensor.numel() * tensor.element_size())
                {
                    throw new InvalidDataException($"tensor '{name}' declares {byteCount} bytes for {dtype}[{string.Join(",", shape)}]");
                }

                if (byteCount > 0)
                {
                    // Straight into the tensor's storage: no intermediate array (BinaryReader does not read ahead).
                    reader.BaseStream.ReadExactly(tensor.bytes);
                }
            }

            if (reader.BaseStream.Position != payload.Length)
            {
                throw new InvalidDataException($"{payload.Length - reader.BaseStream.Position} trailing bytes");
            }

            return result;
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or ArgumentException)
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }

            throw new InvalidDataException($"The {what} tensors cannot be decoded: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the live state dict of <paramref name="module"/> (parameters and buffers):
    /// the key sets must be equal and every shape and dtype must match; nothing is changed otherwise.
    /// </summary>
    public static void LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string what)
    {
        var target = module.state_dict();
        var problems = new List<string>();
        problems.AddRange(target.Keys.Where(k => !source.ContainsKey(k)).Select(k => $"missing '{k}'"));
        problems.AddRange(source.Keys.Where(k => !target.ContainsKey(k)).Select(k => $"unexpected '{k}'"));
        foreach (var (name, live) in target)
        {
            if (source.TryGetValue(name, out var saved) && (!saved.shape.SequenceEqual(live.shape) || saved.dtype != live.dtype))
            {
                problems.Add($"'{name}' is {saved.dtype}[{string.Join(",", saved.shape)}], the module has {live.dtype}[{string.Join(",", live.shape)}]");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The {what} does not fit this {module.GetType().Name}: {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? $"; … {problems.Count - 20} more" : "")}.", nameof(module));
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, live) in target)
        {
            live.copy_(source[name]);
        }
    }
}

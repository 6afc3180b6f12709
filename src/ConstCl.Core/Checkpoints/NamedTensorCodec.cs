using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Checkpoints;

/// <summary>
/// Serialises named tensors as raw bytes with their dtype and shape, in the caller's order:
/// <c>count:int32 | { name:string | dtype:int32 | ndim:int32 | dims:int64[ndim] | byteCount:int64 | bytes }</c>
/// (a name is <see cref="BinaryWriter"/>'s 7-bit length prefix and UTF-8). Bytes are copied exactly (no conversion), so
/// a round trip is bitwise.
/// </summary>
/// <remarks>
/// Files are untrusted input: <see cref="Read"/> parses and checks every header (dtype among the supported codes, rank,
/// each dimension, the element count against the bytes present, names unique) and, when given, the expected names,
/// dtypes and shapes before it allocates a single tensor, so a crafted header can neither crash libtorch nor make it
/// allocate more than the file holds.
/// </remarks>
internal static class NamedTensorCodec
{
    /// <summary>The largest rank read (the 3-D convolution kernels have 5).</summary>
    internal const int MaxRank = 8;

    private const int MaxNameBytes = 1024;

    // The dtypes a state dict or optimiser state can hold here, with their element sizes. Anything else (an integer
    // cast to ScalarType, complex, quantised) is refused: libtorch crashes or misbehaves on unknown codes.
    private static readonly Dictionary<ScalarType, int> ElementSizes = new()
    {
        [ScalarType.Byte] = 1,
        [ScalarType.Int8] = 1,
        [ScalarType.Bool] = 1,
        [ScalarType.Int16] = 2,
        [ScalarType.Float16] = 2,
        [ScalarType.BFloat16] = 2,
        [ScalarType.Int32] = 4,
        [ScalarType.Float32] = 4,
        [ScalarType.Int64] = 8,
        [ScalarType.Float64] = 8,
    };

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

    /// <summary>
    /// Reads tensors written by <see cref="Write"/> into new CPU tensors (the caller owns them). Throws
    /// <see cref="InvalidDataException"/> naming <paramref name="section"/> and the tensor when a header is malformed,
    /// a floating-point tensor holds NaN or ±Infinity, or (with <paramref name="expected"/>) the names, dtypes or shapes
    /// differ from the expected ones; nothing is allocated before the headers pass.
    /// </summary>
    /// <param name="payload">The section's bytes.</param>
    /// <param name="section">The section's name, for messages.</param>
    /// <param name="expected">The tensors the result must match in names, dtypes and shapes (a module's state dict), or null.</param>
    /// <param name="expectedWhat">What <paramref name="expected"/> belongs to, for messages (for example the module type).</param>
    public static Dictionary<string, Tensor> Read(byte[] payload, string section, IReadOnlyDictionary<string, Tensor>? expected = null, string? expectedWhat = null)
    {
        var headers = ReadHeaders(payload, section);
        if (expected is not null)
        {
            var problems = Mismatches(headers.ToDictionary(h => h.Name, h => (h.DType, h.Shape), StringComparer.Ordinal), expected);
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"section '{section}' does not fit the {expectedWhat ?? "model"}: {Summarise(problems)}");
            }
        }

        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var h in headers)
            {
                var tensor = torch.empty(h.Shape, dtype: h.DType);
                result.Add(h.Name, tensor);
                if (h.ByteCount > 0)
                {
                    payload.AsSpan(h.Offset, h.ByteCount).CopyTo(tensor.bytes);
                }

                if (tensor.is_floating_point() && h.ByteCount > 0)
                {
                    using var finite = torch.isfinite(tensor);
                    var bad = finite.numel() - finite.count_nonzero().item<long>();
                    if (bad > 0)
                    {
                        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                            $"section '{section}', tensor '{h.Name}': {bad} of {tensor.numel()} values are NaN or ±Infinity"));
                    }
                }
            }

            return result;
        }
        catch
        {
            foreach (var t in result.Values)
            {
                t.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Parses and checks every header of a payload without allocating tensors: count, names (UTF-8, unique), dtype codes,
    /// rank, dimensions (non-negative, product without overflow) and the declared byte count against the element count
    /// and the bytes actually present. Throws <see cref="InvalidDataException"/> naming the section and the tensor.
    /// </summary>
    internal static IReadOnlyList<TensorHeader> ReadHeaders(byte[] payload, string section)
    {
        var at = 0;
        var data = payload.AsSpan();
        var count = ReadInt32(data, ref at, section, "the tensor count");
        // The smallest entry (one-byte name length, dtype, rank, byte count) takes 17 bytes.
        if (count < 0 || count > (data.Length - at) / 17)
        {
            throw Bad(section, null, string.Create(CultureInfo.InvariantCulture, $"implausible tensor count {count} for {data.Length} bytes"));
        }

        var headers = new List<TensorHeader>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(data, ref at, section, i);
            var code = ReadInt32(data, ref at, section, $"the dtype of tensor '{name}'");
            if (!ElementSizes.TryGetValue((ScalarType)code, out var elementSize))
            {
                throw Bad(section, name, string.Create(CultureInfo.InvariantCulture, $"dtype code {code} is not supported"));
            }

            var dtype = (ScalarType)code;
            var rank = ReadInt32(data, ref at, section, $"the rank of tensor '{name}'");
            if (rank < 0 || rank > MaxRank)
            {
                throw Bad(section, name, string.Create(CultureInfo.InvariantCulture, $"rank {rank} is outside 0..{MaxRank}"));
            }

            var shape = new long[rank];
            var extent = (long)elementSize;   // bytes if no dimension is 0; checked so a crafted shape cannot wrap around
            var empty = false;
            for (var d = 0; d < rank; d++)
            {
                shape[d] = ReadInt64(data, ref at, section, $"dimension {d} of tensor '{name}'");
                if (shape[d] < 0)
                {
                    throw Bad(section, name, $"dimension {d} is negative in [{string.Join(",", shape[..(d + 1)])}]");
                }

                empty |= shape[d] == 0;
                if (shape[d] > 1 && extent > long.MaxValue / shape[d])
                {
                    throw Bad(section, name, $"the element count of [{string.Join(",", shape[..(d + 1)])}] overflows");
                }

                extent *= Math.Max(shape[d], 1);
            }

            var bytes = empty ? 0 : extent;
            var declared = ReadInt64(data, ref at, section, $"the byte count of tensor '{name}'");
            if (bytes > data.Length - at)
            {
                throw Bad(section, name, string.Create(CultureInfo.InvariantCulture, $"{dtype}[{string.Join(",", shape)}] takes {bytes} bytes; the section has {data.Length - at} left"));
            }

            if (declared != bytes)
            {
                throw Bad(section, name, string.Create(CultureInfo.InvariantCulture, $"{declared} bytes declared for {dtype}[{string.Join(",", shape)}], which takes {bytes}"));
            }

            if (!names.Add(name))
            {
                throw Bad(section, name, "the name appears twice");
            }

            headers.Add(new TensorHeader(name, dtype, shape, at, (int)bytes));
            at += (int)bytes;
        }

        if (at != data.Length)
        {
            throw Bad(section, null, string.Create(CultureInfo.InvariantCulture, $"{data.Length - at} trailing bytes after {count} tensors"));
        }

        return headers;
    }

    /// <summary>
    /// Copies <paramref name="source"/> into the live state dict of <paramref name="module"/> (parameters and buffers):
    /// the key sets must be equal and every shape and dtype must match; nothing is changed otherwise.
    /// </summary>
    public static void LoadInto(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string what)
    {
        var target = module.state_dict();
        var problems = Mismatches(source.ToDictionary(kv => kv.Key, kv => (kv.Value.dtype, kv.Value.shape), StringComparer.Ordinal), target);
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The {what} does not fit this {module.GetType().Name}: {Summarise(problems)}.", nameof(module));
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, live) in target)
        {
            live.copy_(source[name]);
        }
    }

    // Every difference between saved (name → dtype, shape) and the live tensors: missing, unexpected, other dtype or shape.
    private static List<string> Mismatches(IReadOnlyDictionary<string, (ScalarType DType, long[] Shape)> saved, IReadOnlyDictionary<string, Tensor> live)
    {
        var problems = new List<string>();
        problems.AddRange(live.Keys.Where(k => !saved.ContainsKey(k)).Select(k => $"missing '{k}'"));
        problems.AddRange(saved.Keys.Where(k => !live.ContainsKey(k)).Select(k => $"unexpected '{k}'"));
        foreach (var (name, tensor) in live)
        {
            if (saved.TryGetValue(name, out var s) && (!s.Shape.SequenceEqual(tensor.shape) || s.DType != tensor.dtype))
            {
                problems.Add($"'{name}' is {s.DType}[{string.Join(",", s.Shape)}], the module has {tensor.dtype}[{string.Join(",", tensor.shape)}]");
            }
        }

        return problems;
    }

    private static string Summarise(List<string> problems) =>
        $"{string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? $"; … {problems.Count - 20} more" : "")}";

    private static string ReadName(ReadOnlySpan<byte> data, ref int at, string section, int index)
    {
        // BinaryWriter's 7-bit length prefix, at most 5 bytes for an int32.
        var length = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28 || at >= data.Length)
            {
                throw Bad(section, null, $"the name of tensor #{index} has a malformed length");
            }

            var b = data[at++];
            length |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                break;
            }
        }

        if (length <= 0 || length > MaxNameBytes || length > data.Length - at)
        {
            throw Bad(section, null, string.Create(CultureInfo.InvariantCulture, $"the name of tensor #{index} has an implausible length {length}"));
        }

        try
        {
            var name = StrictUtf8.GetString(data.Slice(at, length));
            at += length;
            return name;
        }
        catch (DecoderFallbackException)
        {
            throw Bad(section, null, $"the name of tensor #{index} is not valid UTF-8");
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static int ReadInt32(ReadOnlySpan<byte> data, ref int at, string section, string what)
    {
        if (data.Length - at < 4)
        {
            throw Bad(section, null, $"the section ends inside {what}");
        }

        var value = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
        at += 4;
        return value;
    }

    private static long ReadInt64(ReadOnlySpan<byte> data, ref int at, string section, string what)
    {
        if (data.Length - at < 8)
        {
            throw Bad(section, null, $"the section ends inside {what}");
        }

        var value = BinaryPrimitives.ReadInt64LittleEndian(data[at..]);
        at += 8;
        return value;
    }

    private static InvalidDataException Bad(string section, string? tensor, string problem) =>
        new(tensor is null ? $"section '{section}': {problem}" : $"section '{section}', tensor '{tensor}': {problem}");

    /// <summary>One checked header: the tensor's name, dtype, shape and where its bytes lie in the payload.</summary>
    internal sealed record TensorHeader(string Name, ScalarType DType, long[] Shape, int Offset, int ByteCount);
}

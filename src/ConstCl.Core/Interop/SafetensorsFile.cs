using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ConstCl.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;
using ConstCl.IO;

namespace ConstCl.Interop;

/// <summary>
/// The safetensors format (Hugging Face; the layout PyTorch users exchange weights in):
/// <c>header size N : u64 little-endian | N bytes of UTF-8 JSON | data</c>. The JSON maps each tensor name to
/// <c>{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}</c> (offsets into the data, tensors packed without
/// holes, row-major, little-endian) plus an optional <c>"__metadata__"</c> object of string values.
/// Reading validates every field against the bytes actually present before anything is allocated.
/// </summary>
internal static class SafetensorsFile
{
    /// <summary>The header's reserved key for free-form string metadata.</summary>
    internal const string MetadataKey = "__metadata__";

    /// <summary>Headers above this size are refused (the reference implementation's limit).</summary>
    internal const long MaxHeaderBytes = 100_000_000;

    /// <summary>Tensors of more dimensions are refused (no ConST-CL tensor has more than 5).</summary>
    internal const int MaxRank = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly (string Code, ScalarType Type, int Size)[] DTypes =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("F16", ScalarType.Float16, 2),
        ("BF16", ScalarType.BFloat16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>
    /// Writes <paramref name="tensors"/> (in the given order) and <paramref name="metadata"/> atomically (temporary file,
    /// then rename). Tensors are copied to the CPU as they are (no dtype conversion).
    /// </summary>
    /// <exception cref="ArgumentException">A duplicate or empty name, the reserved name, or a dtype safetensors cannot hold.</exception>
    internal static void Write(string path, IReadOnlyList<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var header = new MemoryStream();
        long offset = 0;
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            foreach (var (name, tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == MetadataKey || !names.Add(name))
                {
                    throw new ArgumentException($"Tensor name '{name}' is empty, reserved or repeated.", nameof(tensors));
                }

                var code = CodeOf(tensor.dtype) ?? throw new ArgumentException($"Tensor '{name}' has dtype {tensor.dtype}, which safetensors cannot hold.", nameof(tensors));
                var bytes = tensor.numel() * tensor.element_size();
                json.WriteStartObject(name);
                json.WriteString("dtype", code);
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }

            json.WriteEndObject();
        }

        // Pad the header with spaces so the data starts 8-byte aligned (what the reference writer does).
        while (header.Length % 8 != 0)
        {
            header.WriteByte((byte)' ');
        }

        AtomicFile.Write(path, file =>
        {
            Span<byte> size = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(size, (ulong)header.Length);
            file.Write(size);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var (_, tensor) in tensors)
            {
                using var scope = torch.NewDisposeScope();
                var cpu = tensor.detach().cpu().contiguous();
                if (cpu.numel() > 0)
                {
                    file.Write(cpu.bytes);
                }
            }
        }, durable: true);
    }

    /// <summary>
    /// Reads a safetensors file into new CPU tensors (the caller owns them). Every header field is checked first: known
    /// dtype, rank ≤ <see cref="MaxRank"/>, non-negative dimensions, offsets inside the data, byte counts equal to
    /// element count × element size (overflow-checked), tensors packed without holes or overlaps, unique names.
    /// </summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="CorruptFileException">The file breaks the format; the reason names the tensor and field.</exception>
    internal static SafetensorsContents Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = file.Length;
        if (length < 8)
        {
            throw new CorruptFileException(path, $"{length} bytes is too short for a safetensors header");
        }

        Span<byte> sizeBytes = stackalloc byte[8];
        file.ReadExactly(sizeBytes);
        var headerSize = BinaryPrimitives.ReadUInt64LittleEndian(sizeBytes);
        if (headerSize < 2 || headerSize > (ulong)Math.Min(MaxHeaderBytes, length - 8))
        {
            throw new CorruptFileException(path, $"the header declares {headerSize} bytes; the file has {length - 8} after the size field (at most {MaxHeaderBytes} allowed)");
        }

        var headerBytes = new byte[headerSize];
        file.ReadExactly(headerBytes);
        var dataLength = length - 8 - (long)headerSize;
        var entries = ParseHeader(path, headerBytes, dataLength, out var metadata);

        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            var dataStart = 8 + (long)headerSize;
            foreach (var entry in entries)
            {
                var tensor = torch.empty(entry.Shape, dtype: entry.Type);
                tensors.Add(entry.Name, tensor);
                if (entry.End > entry.Begin)
                {
                    file.Position = dataStart + entry.Begin;
                    file.ReadExactly(tensor.bytes);
                }
            }

            return new SafetensorsContents(path, metadata, tensors);
        }
        catch
        {
            foreach (var t in tensors.Values)
            {
                t.Dispose();
            }

            throw;
        }
    }

    private static List<Entry> ParseHeader(string path, byte[] header, long dataLength, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            // Names must be valid UTF-8 (System.Text.Json only notices when a name is first read, with another exception).
            _ = StrictUtf8.GetCharCount(header);
            document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
        {
            throw new CorruptFileException(path, $"the header is not valid UTF-8 JSON ({ex.Message})", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new CorruptFileException(path, "the header is not a JSON object");
            }

            var entries = new List<Entry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new CorruptFileException(path, $"'{property.Name}' appears twice in the header");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                    continue;
                }

                entries.Add(ReadEntry(path, property.Name, property.Value, dataLength));
            }

            // Packed without holes or overlaps, covering the data exactly (the format's rule).
            long expected = 0;
            foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
            {
                if (entry.Begin != expected)
                {
                    throw new CorruptFileException(path, $"tensor '{entry.Name}' starts at byte {entry.Begin} of the data; the previous tensor ends at {expected} (holes and overlaps are not allowed)");
                }

                expected = entry.End;
            }

            if (expected != dataLength)
            {
                throw new CorruptFileException(path, $"the tensors cover {expected} bytes; the file holds {dataLength} after the header");
            }

            return entries;
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new CorruptFileException(path, $"'{MetadataKey}' is not an object of strings");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String || !metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw new CorruptFileException(path, $"metadata '{item.Name}' is not a string or appears twice");
            }
        }
    }

    private static Entry ReadEntry(string path, string name, JsonElement value, long dataLength)
    {
        CorruptFileException Bad(string what) => new(path, $"tensor '{name}': {what}");
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad("expected an object with a string 'dtype', an array 'shape' and an array 'data_offsets'");
        }

        var code = dtypeElement.GetString()!;
        var known = Array.FindIndex(DTypes, d => d.Code == code);
        if (known < 0)
        {
            throw Bad($"dtype '{code}' is not one of {string.Join(", ", DTypes.Select(d => d.Code))}");
        }

        var rank = shapeElement.GetArrayLength();
        if (rank > MaxRank)
        {
            throw Bad($"{rank} dimensions (at most {MaxRank})");
        }

        var shape = new long[rank];
        long elements = 1;
        for (var d = 0; d < rank; d++)
        {
            var dim = shapeElement[d];
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out shape[d]) || shape[d] < 0)
            {
                throw Bad($"dimension {d} is {dim.GetRawText()}, expected a non-negative integer");
            }

            // Overflow-safe: a product above the data length is already wrong, so stop multiplying there.
            elements = shape[d] == 0 || elements == 0 ? 0 : elements > dataLength / shape[d] ? dataLength + 1 : elements * shape[d];
        }

        if (offsetsElement.GetArrayLength() != 2
            || offsetsElement[0].ValueKind != JsonValueKind.Number || offsetsElement[1].ValueKind != JsonValueKind.Number
            || !offsetsElement[0].TryGetInt64(out var begin) || !offsetsElement[1].TryGetInt64(out var end)
            || begin < 0 || end < begin || end > dataLength)
        {
            throw Bad($"data_offsets {offsetsElement.GetRawText()} are not [begin, end] within the {dataLength} data bytes");
        }

        var size = DTypes[known].Size;
        if (elements > dataLength / size)
        {
            throw Bad($"{code}[{string.Join(",", shape)}] needs more bytes than the file's {dataLength} data bytes");
        }

        if (elements * size != end - begin)
        {
            throw Bad($"{code}[{string.Join(",", shape)}] needs {elements * size} bytes; data_offsets give {end - begin}");
        }

        return new Entry(name, DTypes[known].Type, shape, begin, end);
    }

    /// <summary>The safetensors code of a TorchSharp dtype, or null when the format has none.</summary>
    internal static string? CodeOf(ScalarType type) => Array.Find(DTypes, d => d.Type == type).Code;

    private sealed record Entry(string Name, ScalarType Type, long[] Shape, long Begin, long End);
}

using System.Text;
using System.Text.Json;
using static TorchSharp.torch;
using ConstCl.IO;

namespace ConstCl.Checkpoints;

/// <summary>
/// A trained encoder on its own (<c>*.constcl</c>): its weights, the model-options JSON needed to rebuild it, a
/// format version and SHA-256 checksums, verified on load. This is the file that embedding and ML.NET consume.
/// Written atomically (temporary file, flush to disk, rename).
/// </summary>
public static class EncoderFile
{
    /// <summary>The file extension, ".constcl".</summary>
    public const string Extension = ".constcl";

    /// <summary>The format version this build writes (and the newest it reads).</summary>
    public const int FormatVersion = 1;

    internal static readonly byte[] Magic = "CCLENC\0\0"u8.ToArray();
    private const string MetaSection = "meta";
    private const string OptionsSection = "model-options";
    private const string WeightsSection = "weights";

    /// <summary>Saves the state dict (parameters and buffers) of <paramref name="encoder"/> with its model options.</summary>
    /// <param name="path">Target file (conventionally ending in <see cref="Extension"/>).</param>
    /// <param name="encoder">The encoder module.</param>
    /// <param name="modelOptionsJson">The JSON of the options the encoder was built from (kept verbatim).</param>
    /// <returns>The SHA-256 (hex) of the saved weights section.</returns>
    public static string Save(string path, nn.Module encoder, string modelOptionsJson)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(modelOptionsJson);
        try
        {
            using var _ = JsonDocument.Parse(modelOptionsJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"modelOptionsJson must be valid JSON: {ex.Message}", nameof(modelOptionsJson), ex);
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        Dictionary<string, string> hashes = [];
        AtomicFile.Write(full, stream =>
        {
            var meta = new Meta(encoder.GetType().FullName ?? encoder.GetType().Name, DateTimeOffset.UtcNow);
            hashes = SectionContainer.Write(stream, Magic, FormatVersion,
            [
                (MetaSection, s => JsonSerializer.Serialize(s, meta)),
                (OptionsSection, s => s.Write(Encoding.UTF8.GetBytes(modelOptionsJson))),
                (WeightsSection, s => NamedTensorCodec.Write(s, encoder.state_dict())),
            ]);
        }, durable: true);

        return hashes[WeightsSection];
    }

    /// <summary>
    /// Reads and verifies an encoder file. Throws <see cref="CorruptFileException"/> (naming the file and the failed
    /// check) when the magic, version, length or a checksum is wrong, a section is malformed (a tensor header with an
    /// unknown dtype, a bad shape or a byte count that disagrees with it) or a weight is NaN or ±Infinity. Headers are
    /// checked before any tensor is allocated.
    /// </summary>
    /// <param name="path">The encoder file.</param>
    public static EncoderFileContents Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The encoder file '{path}' does not exist.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var (version, sections) = SectionContainer.Read(stream, path, Magic, FormatVersion);
        SectionContainer.Section Require(string name) =>
            sections.TryGetValue(name, out var s) ? s : throw new CorruptFileException(path, $"section '{name}' is missing");
        try
        {
            var meta = JsonSerializer.Deserialize<Meta>(Require(MetaSection).Payload);
            if (meta?.EncoderType is null)
            {
                throw new CorruptFileException(path, "section 'meta' names no encoder type");
            }

            var options = Encoding.UTF8.GetString(Require(OptionsSection).Payload);
            using (var parsed = JsonDocument.Parse(options))
            {
                if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CorruptFileException(path, "section 'model-options' is not a JSON object");
                }
            }

            var weights = Require(WeightsSection);
            return new EncoderFileContents(path, version, meta.EncoderType, options, weights.Sha256, NamedTensorCodec.Read(weights.Payload, WeightsSection));
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            throw new CorruptFileException(path, ex.Message, ex);
        }
    }

    private sealed record Meta(string EncoderType, DateTimeOffset CreatedUtc);
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConstCl.Runtime;

/// <summary>
/// <see cref="ComputeDevice"/> as a JSON string (<c>"cpu"</c>, <c>"cuda:0"</c>), so options files written when the device
/// was a plain string (<c>"cpu"</c>, <c>"cuda"</c>, <c>"cuda:1"</c>) still load.
/// </summary>
internal sealed class ComputeDeviceJsonConverter : JsonConverter<ComputeDevice>
{
    public override ComputeDevice Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A compute device is a string ({ComputeDevice.Forms}); got {reader.TokenType}.");
        }

        var text = reader.GetString();
        return ComputeDevice.TryParse(text, out var device)
            ? device
            : throw new JsonException($"'{text}' is not a compute device: expected {ComputeDevice.Forms}.");
    }

    public override void Write(Utf8JsonWriter writer, ComputeDevice value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}

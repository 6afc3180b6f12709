using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConstCl.Modeling;

namespace ConstCl.Embedding;

/// <summary>
/// The model-options JSON kept in an encoder file: <see cref="ConstClModelOptions"/> (enums as names). Reading also accepts
/// the options nested under a <c>Model</c>/<c>ModelOptions</c> property (a training-options document) or a bare
/// <see cref="ResNet3dYOptions"/>, so files written by either side of the project load.
/// </summary>
internal static class EncoderOptionsJson
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
        // Derived, get-only values (OutputChannels, InputShape, …) are not written: the JSON then reads back under the strict
        // reader of the pre-training options (unknown members disallowed), which writes encoder files the same way.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropGetOnlyProperties } },
    };

    private static void DropGetOnlyProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (int i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    /// <summary>The JSON of <paramref name="options"/>: the same document the pre-training loop writes into encoder files.</summary>
    public static string Serialize(ConstClModelOptions options) => ConstCl.Training.PretrainingOptions.ModelToJson(options);

    /// <summary>Reads model options from an encoder file's JSON (see the type's remarks); throws naming <paramref name="source"/>.</summary>
    public static ConstClModelOptions Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException($"The model options of '{source}' are not a JSON object.");
            }

            foreach (var nested in new[] { "Model", "ModelOptions" })
            {
                if (TryGet(root, nested, out var inner) && inner.ValueKind == JsonValueKind.Object && TryGet(inner, "Backbone", out _))
                {
                    root = inner;
                    break;
                }
            }

            ConstClModelOptions options = TryGet(root, "Backbone", out _)
                ? root.Deserialize<ConstClModelOptions>(Json)!
                : TryGet(root, "StageWidths", out _)
                    ? new ConstClModelOptions { Backbone = root.Deserialize<ResNet3dYOptions>(Json)! }
                    : throw new ArgumentException($"The model options of '{source}' have neither 'Backbone' nor 'StageWidths': not ConST-CL model options.");
            options.Backbone.Validate();
            return options;
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The model options of '{source}' are not valid JSON model options: {ex.Message}", ex);
        }
    }

    private static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = p.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

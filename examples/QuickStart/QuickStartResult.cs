using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace QuickStart;

/// <summary>The quick start's table: test-split top-1 accuracy of the linear probe for each encoder, and chance.</summary>
/// <param name="ConstCl">ConST-CL (global + local loss), or null when that row was not computed.</param>
/// <param name="Cvrl">Global loss only (CVRL), or null.</param>
/// <param name="RandomInit">The same encoder with random weights, or null.</param>
/// <param name="Chance">1 / classes.</param>
/// <param name="Classes">Number of classes.</param>
/// <param name="TrainVideos">Videos the encoders were pre-trained on and the probe was fitted on.</param>
/// <param name="TestVideos">Videos the accuracy is measured on.</param>
/// <param name="Seconds">Wall time of the whole run.</param>
internal sealed record QuickStartResult(
    [property: JsonPropertyName("constcl")] double? ConstCl,
    [property: JsonPropertyName("cvrl")] double? Cvrl,
    [property: JsonPropertyName("randomInit")] double? RandomInit,
    [property: JsonPropertyName("chance")] double Chance,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("trainVideos")] int TrainVideos,
    [property: JsonPropertyName("testVideos")] int TestVideos,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>ConST-CL's top-1 on the appearance task (the object's outline, 5 classes), or null.</summary>
    [JsonPropertyName("constclAppearance")]
    public double? ConstClAppearance { get; init; }

    /// <summary>CVRL's top-1 on the appearance task, or null.</summary>
    [JsonPropertyName("cvrlAppearance")]
    public double? CvrlAppearance { get; init; }

    /// <summary>Random weights' top-1 on the appearance task, or null.</summary>
    [JsonPropertyName("randomInitAppearance")]
    public double? RandomInitAppearance { get; init; }

    /// <summary>1 / outlines.</summary>
    [JsonPropertyName("appearanceChance")]
    public double AppearanceChance { get; init; }

    /// <summary>The pre-training preset.</summary>
    [JsonPropertyName("preset")]
    public string Preset { get; init; } = "small";

    /// <summary>Pre-training steps of each encoder.</summary>
    [JsonPropertyName("steps")]
    public int Steps { get; init; }

    /// <summary>Videos per pre-training step.</summary>
    [JsonPropertyName("batchSize")]
    public int BatchSize { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The JSON document <c>--json</c> writes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The table printed at the end.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Linear probe, top-1 on {TestVideos} test videos (probe fitted on {TrainVideos}; preset {Preset}, {Steps} steps × {BatchSize} videos):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  encoder                          motion ({Classes} classes)   appearance (5 outlines)");
        Row("ConST-CL (global + local loss)", ConstCl, ConstClAppearance);
        Row("CVRL (global loss only)", Cvrl, CvrlAppearance);
        Row("random weights", RandomInit, RandomInitAppearance);
        Row("chance", Chance, AppearanceChance);
        if (RandomInit is { } random)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  motion gain over random weights: ConST-CL {Gain(ConstCl, random)}, CVRL {Gain(Cvrl, random)} points");
        }

        text.Append(CultureInfo.InvariantCulture, $"  ({Seconds:0} s)");
        return text.ToString();

        void Row(string name, double? motion, double? appearance) =>
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-32} {Percent(motion),-22} {Percent(appearance)}");

        static string Percent(double? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{100 * v,5:0.0} %") : "    –";

        static string Gain(double? value, double random) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{100 * (v - random):+0.0;-0.0}") : "–";
    }
}

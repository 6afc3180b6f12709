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
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The JSON document <c>--json</c> writes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The table printed at the end.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Linear probe, top-1 on {TestVideos} test videos ({Classes} classes; probe fitted on {TrainVideos}):");
        text.AppendLine("  encoder                          top-1");
        Row("ConST-CL (global + local loss)", ConstCl);
        Row("CVRL (global loss only)", Cvrl);
        Row("random weights", RandomInit);
        Row("chance", Chance);
        text.Append(CultureInfo.InvariantCulture, $"  ({Seconds:0} s)");
        return text.ToString();

        void Row(string name, double? value) =>
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-32} {(value is { } v ? $"{100 * v,5:0.0} %" : "    –")}");
    }
}

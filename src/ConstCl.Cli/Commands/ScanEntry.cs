using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands;

/// <summary>One line of <c>constcl scan</c>: what decoding a video found.</summary>
/// <param name="Path">The video as listed (absolute for manifest entries).</param>
/// <param name="Status"><c>ok</c> or <c>failed</c>.</param>
/// <param name="Frames">Frames that decode (null when failed).</param>
/// <param name="Width">Native width in pixels.</param>
/// <param name="Height">Native height in pixels.</param>
/// <param name="Fps">Nominal frame rate from the header (0 when unknown).</param>
/// <param name="DurationSeconds">Duration from the decoded frame timestamps.</param>
/// <param name="HeaderFrames">Frame count the container claims.</param>
/// <param name="VariableFrameRate">True when frame intervals vary.</param>
/// <param name="Codec">Codec FourCC or name.</param>
/// <param name="ErrorKind">The <c>VideoErrorKind</c> of a failure.</param>
/// <param name="Error">The error message of a failure.</param>
internal sealed record ScanEntry(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("frames")] int? Frames,
    [property: JsonPropertyName("width")] int? Width,
    [property: JsonPropertyName("height")] int? Height,
    [property: JsonPropertyName("fps")] double? Fps,
    [property: JsonPropertyName("durationSeconds")] double? DurationSeconds,
    [property: JsonPropertyName("headerFrames")] int? HeaderFrames,
    [property: JsonPropertyName("variableFrameRate")] bool? VariableFrameRate,
    [property: JsonPropertyName("codec")] string? Codec,
    [property: JsonPropertyName("errorKind")] string? ErrorKind,
    [property: JsonPropertyName("error")] string? Error);

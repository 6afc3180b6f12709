using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>What <c>constcl bench decode</c> measured (written with <c>--json</c>).</summary>
internal sealed record DecodeBenchResult(
    [property: JsonPropertyName("video")] string Video,
    [property: JsonPropertyName("codec")] string Codec,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("shortSide")] int ShortSide,
    [property: JsonPropertyName("repeats")] int Repeats,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("framesPerSecond")] double FramesPerSecond,
    [property: JsonPropertyName("ffmpegSeconds")] double? FfmpegSeconds,
    [property: JsonPropertyName("ffmpegFramesPerSecond")] double? FfmpegFramesPerSecond,
    [property: JsonPropertyName("ratioToFfmpeg")] double? RatioToFfmpeg,
    [property: JsonPropertyName("ffmpegCommand")] string? FfmpegCommand);

using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// What <c>constcl bench decode</c> measured (written with <c>--json</c>): best wall-clock and best CPU seconds of the
/// timed passes, in-process and for ffmpeg. Ratios are in-process speed / ffmpeg speed (above 1: in-process is faster);
/// the CPU ratio is the fairer one on a shared machine.
/// </summary>
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
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("ffmpegSeconds")] double? FfmpegSeconds,
    [property: JsonPropertyName("ffmpegCpuSeconds")] double? FfmpegCpuSeconds,
    [property: JsonPropertyName("ffmpegFramesPerSecond")] double? FfmpegFramesPerSecond,
    [property: JsonPropertyName("ratioToFfmpeg")] double? RatioToFfmpeg,
    [property: JsonPropertyName("cpuRatioToFfmpeg")] double? CpuRatioToFfmpeg,
    [property: JsonPropertyName("ffmpegCommand")] string? FfmpegCommand);

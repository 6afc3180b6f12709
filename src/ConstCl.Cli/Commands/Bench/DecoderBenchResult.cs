using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// One decoder back-end's figures in <c>constcl bench decode</c> (median times over the timed passes; each ratio is the
/// median of per-pass ratios, speed of this back-end / speed of the peer, above 1: this back-end is faster).
/// </summary>
internal sealed record DecoderBenchResult(
    [property: JsonPropertyName("decoder")] string Decoder,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("minSeconds")] double MinSeconds,
    [property: JsonPropertyName("framesPerSecond")] double FramesPerSecond,
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("ratioToFfmpeg")] double? RatioToFfmpeg,
    [property: JsonPropertyName("cpuRatioToFfmpeg")] double? CpuRatioToFfmpeg,
    [property: JsonPropertyName("ratioToFfmpegResized")] double? RatioToFfmpegResized,
    [property: JsonPropertyName("cpuRatioToFfmpegResized")] double? CpuRatioToFfmpegResized,
    [property: JsonPropertyName("ratioToOpenCv")] double? RatioToOpenCv,
    [property: JsonPropertyName("cpuRatioToOpenCv")] double? CpuRatioToOpenCv);

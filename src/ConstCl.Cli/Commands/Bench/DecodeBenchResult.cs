using System.Text.Json.Serialization;
using ConstCl.Video;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// What <c>constcl bench decode</c> measured (written with <c>--json-out</c>). Times are medians over the timed passes;
/// in-process and ffmpeg passes alternate, and each ratio is the median of the per-pass ratios (in-process speed /
/// ffmpeg speed, above 1: in-process is faster), so machine noise cancels. The <c>ffmpeg*</c> figures are ffmpeg
/// decoding to raw RGB24 frames at the native size (the peer named by the performance target); the
/// <c>ffmpegResized*</c> figures, present only when frames are resized, are ffmpeg producing the same resized frames.
/// The top-level in-process figures are those of <c>decoder</c>, the back-end the library picks by default (or the one
/// named by <c>--decoder</c>); <c>decoders</c> holds every back-end measured (both, unless one was named).
/// </summary>
internal sealed record DecodeBenchResult(
    [property: JsonPropertyName("video")] string Video,
    [property: JsonPropertyName("decoder")] string Decoder,
    [property: JsonPropertyName("ffmpegLibraries")] string? FfmpegLibraries,
    [property: JsonPropertyName("codec")] string Codec,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("shortSide")] int ShortSide,
    [property: JsonPropertyName("resizeMode")] string ResizeMode,
    [property: JsonPropertyName("repeats")] int Repeats,
    [property: JsonPropertyName("openCvThreads")] int OpenCvThreads,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("minSeconds")] double MinSeconds,
    [property: JsonPropertyName("framesPerSecond")] double FramesPerSecond,
    [property: JsonPropertyName("cpuSeconds")] double CpuSeconds,
    [property: JsonPropertyName("ffmpegSeconds")] double? FfmpegSeconds,
    [property: JsonPropertyName("ffmpegCpuSeconds")] double? FfmpegCpuSeconds,
    [property: JsonPropertyName("ffmpegFramesPerSecond")] double? FfmpegFramesPerSecond,
    [property: JsonPropertyName("ratioToFfmpeg")] double? RatioToFfmpeg,
    [property: JsonPropertyName("cpuRatioToFfmpeg")] double? CpuRatioToFfmpeg,
    [property: JsonPropertyName("ffmpegCommand")] string? FfmpegCommand,
    [property: JsonPropertyName("ffmpegResizedSeconds")] double? FfmpegResizedSeconds,
    [property: JsonPropertyName("ffmpegResizedCpuSeconds")] double? FfmpegResizedCpuSeconds,
    [property: JsonPropertyName("ffmpegResizedFramesPerSecond")] double? FfmpegResizedFramesPerSecond,
    [property: JsonPropertyName("ratioToFfmpegResized")] double? RatioToFfmpegResized,
    [property: JsonPropertyName("cpuRatioToFfmpegResized")] double? CpuRatioToFfmpegResized,
    [property: JsonPropertyName("ffmpegResizedCommand")] string? FfmpegResizedCommand,
    [property: JsonPropertyName("stages")] IReadOnlyList<DecodeStage>? Stages,
    [property: JsonPropertyName("decoders")] IReadOnlyList<DecoderBenchResult> Decoders);

using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>What <c>constcl bench embed</c> measured: best-of-N clips per second of the encoder in TorchSharp (on <see cref="Device"/>) and of its ONNX export in ONNX Runtime (CPU).</summary>
internal sealed record EmbedBenchResult(
    [property: JsonPropertyName("encoder")] string Encoder,
    [property: JsonPropertyName("embeddingDimension")] int EmbeddingDimension,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("frames")] int Frames,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("repeats")] int Repeats,
    [property: JsonPropertyName("torchSharpSeconds")] double TorchSharpSeconds,
    [property: JsonPropertyName("torchSharpClipsPerSecond")] double TorchSharpClipsPerSecond,
    [property: JsonPropertyName("onnxSeconds")] double? OnnxSeconds,
    [property: JsonPropertyName("onnxClipsPerSecond")] double? OnnxClipsPerSecond,
    [property: JsonPropertyName("maxAbsDifference")] double? MaxAbsDifference,
    [property: JsonPropertyName("torchSharpCpuSeconds")] double? TorchSharpCpuSeconds = null,
    [property: JsonPropertyName("device")] string Device = "cpu");

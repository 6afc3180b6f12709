using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>What <c>constcl bench probe</c> measured: the linear-probe fit time on synthetic embeddings and the accuracy it reached.</summary>
internal sealed record ProbeBenchResult(
    [property: JsonPropertyName("trainer")] string Trainer,
    [property: JsonPropertyName("n")] int N,
    [property: JsonPropertyName("dim")] int Dim,
    [property: JsonPropertyName("classes")] int Classes,
    [property: JsonPropertyName("test")] int Test,
    [property: JsonPropertyName("noise")] double Noise,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("fitSeconds")] double FitSeconds,
    [property: JsonPropertyName("top1")] double Top1,
    [property: JsonPropertyName("top5")] double Top5,
    [property: JsonPropertyName("settings")] IReadOnlyDictionary<string, string> Settings);

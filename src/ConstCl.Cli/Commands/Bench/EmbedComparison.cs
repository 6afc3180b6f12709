using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>bench embed --vs-pytorch</c>: the frozen encoder's forward pass (stem..res5, eval, no_grad, mean over T, H, W) timed
/// by <c>constcl bench embed --no-onnx</c> and by the PyTorch reference script (<c>--mode embed</c>), alternately, each in
/// its own process. The ratio is TorchSharp clips/s ÷ PyTorch clips/s (target ≥ 1), the median over rounds; also per CPU
/// second (PyTorch's ÷ TorchSharp's process CPU time of the best pass), which a busy machine does not distort.
/// </summary>
internal static class EmbedComparison
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>What both sides time.</summary>
    internal sealed record Setup(string Preset, int Batch, int Frames, int Size, int Threads, int Repeats, long Parameters);

    /// <summary>Runs the rounds; returns ours (as <c>bench embed</c> writes it) plus <c>"pytorch"</c> and <c>"ratio"</c>.</summary>
    /// <exception cref="InvalidOperationException">A side failed; the message has its output's tail.</exception>
    internal static JsonObject Run(Setup setup, PyTorchReference peer, int rounds, TextWriter log, CancellationToken cancellationToken = default)
    {
        var ours = new List<JsonObject>();
        var theirs = new List<JsonObject>();
        for (var r = 0; r < rounds; r++)
        {
            foreach (var torchSharpFirst in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                if (torchSharpFirst)
                {
                    ours.Add(RunOurs(setup, cancellationToken));
                }
                else
                {
                    theirs.Add(JsonNode.Parse(peer.Run(
                    [
                        "--mode", "embed", "--preset", setup.Preset, "--batch-size", Text(setup.Batch), "--frames", Text(setup.Frames),
                        "--size", Text(setup.Size), "--threads", Text(setup.Threads), "--repeats", Text(setup.Repeats),
                        "--expect-params", Text(setup.Parameters),
                    ], cancellationToken).GetRawText())!.AsObject());
                }
            }

            log.WriteLine(string.Format(
                CultureInfo.InvariantCulture, "round {0}/{1}: TorchSharp {2:0.00} clips/s ({3:0.000} CPU s per batch) | PyTorch {4:0.00} clips/s ({5:0.000} CPU s) | throughput ratio {6:0.000}",
                r + 1, rounds, OursClipsPerSecond(ours[^1]), (double?)ours[^1]["torchSharpCpuSeconds"] ?? double.NaN, PeerClipsPerSecond(theirs[^1]),
                (double?)theirs[^1]["cpuSeconds"] ?? double.NaN, OursClipsPerSecond(ours[^1]) / PeerClipsPerSecond(theirs[^1])));
        }

        var byRound = ours.Zip(theirs, (o, p) => OursClipsPerSecond(o) / PeerClipsPerSecond(p)).ToArray();
        var best = ours.MaxBy(OursClipsPerSecond)!.DeepClone().AsObject();
        best["rounds"] = rounds;
        best["pytorch"] = theirs.MaxBy(PeerClipsPerSecond)!.DeepClone();
        best["ratio"] = new JsonObject
        {
            ["clipsPerSecond"] = BenchStatistics.Median(byRound),
            ["clipsPerSecondByRound"] = new JsonArray(byRound.Select(v => (JsonNode?)v).ToArray()),
            ["cpuClipsPerSecond"] = ours.All(o => o["torchSharpCpuSeconds"] is not null) && theirs.All(p => p["cpuSeconds"] is not null)
                ? BenchStatistics.Median(ours.Zip(theirs, (o, p) => (double)p["cpuSeconds"]! / (double)o["torchSharpCpuSeconds"]!))
                : null,
        };
        return best;
    }

    /// <summary>Clips/s of a <c>bench embed</c> result (TorchSharp column).</summary>
    internal static double OursClipsPerSecond(JsonObject result) => (double)result["torchSharpClipsPerSecond"]!;

    /// <summary>Clips/s of a reference-script embed result.</summary>
    internal static double PeerClipsPerSecond(JsonObject result) => (double)result["clipsPerSecond"]!;

    private static JsonObject RunOurs(Setup setup, CancellationToken cancellationToken)
    {
        var (fileName, prefix) = BenchProcess.Self();
        var json = Path.Combine(Path.GetTempPath(), "constcl-bench-embed-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var outcome = BenchProcess.Run(fileName,
            [
                .. prefix, "bench", "embed", "--preset", setup.Preset, "--batch-size", Text(setup.Batch), "--frames", Text(setup.Frames),
                "--size", Text(setup.Size), "--threads", Text(setup.Threads), "--repeats", Text(setup.Repeats), "--no-onnx", "--json-out", json,
            ], cancellationToken);
            if (outcome.ExitCode != 0 || !File.Exists(json))
            {
                throw new InvalidOperationException(
                    $"the TorchSharp side (`bench embed`) failed with exit code {outcome.ExitCode}: {BenchProcess.Tail(outcome.Error + "\n" + outcome.Output)}");
            }

            return JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Serialises a combined result.</summary>
    internal static string Serialize(JsonObject result) => result.ToJsonString(JsonOptions);
}

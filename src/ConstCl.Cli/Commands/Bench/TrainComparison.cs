using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>bench train --vs-pytorch</c>: runs <c>constcl bench train</c> and the PyTorch reference script alternately, each
/// in its own process (peak RSS per side), for a number of rounds; the side that goes first alternates (A B, B A, …) so
/// slow drifts in machine load hit both sides alike. Reports both pooled results and <see cref="ComparisonRatio"/>.
/// </summary>
internal static class TrainComparison
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>One shape to compare: the <c>bench train</c> arguments both sides receive.</summary>
    internal sealed record Setup(string Preset, int BatchSize, int Frames, int Size, int Steps, int Warmup, int Threads, long Parameters);

    /// <summary>Runs <paramref name="rounds"/> rounds and returns the combined JSON: ours, <c>"pytorch"</c>, <c>"ratio"</c>.</summary>
    /// <param name="setup">What both sides time.</param>
    /// <param name="peer">The located PyTorch reference.</param>
    /// <param name="rounds">Rounds (≥ 1).</param>
    /// <param name="log">Progress lines go here.</param>
    /// <param name="cancellationToken">Ctrl+C: the child in flight is killed and <see cref="OperationCanceledException"/> thrown.</param>
    /// <exception cref="InvalidOperationException">A side failed; the message has its output's tail.</exception>
    internal static JsonObject Run(Setup setup, PyTorchReference peer, int rounds, TextWriter log, CancellationToken cancellationToken = default)
    {
        var pairs = new List<(TrainBenchResult Ours, TrainBenchResult Peer)>();
        string? engine = null;
        for (var r = 0; r < rounds; r++)
        {
            TrainBenchResult? ours = null, theirs = null;
            foreach (var torchSharpFirst in r % 2 == 0 ? new[] { true, false } : [false, true])
            {
                if (torchSharpFirst)
                {
                    ours = RunOurs(setup, cancellationToken);
                }
                else
                {
                    var raw = peer.Run(
                    [
                        "--mode", "train", "--preset", setup.Preset, "--batch-size", Text(setup.BatchSize), "--frames", Text(setup.Frames),
                        "--size", Text(setup.Size), "--steps", Text(setup.Steps), "--warmup", Text(setup.Warmup),
                        "--threads", Text(setup.Threads), "--expect-params", Text(setup.Parameters),
                    ], cancellationToken);
                    engine ??= raw.TryGetProperty("engine", out var e) ? e.GetString() : null;
                    theirs = raw.Deserialize<TrainBenchResult>(JsonOptions)
                        ?? throw new InvalidOperationException("the PyTorch reference wrote an empty result");
                }
            }

            pairs.Add((ours!, theirs!));
            log.WriteLine(string.Format(
                CultureInfo.InvariantCulture,
                "round {0}/{1}: TorchSharp {2:0.000} s/step ({3:0.000} CPU s), {4:0} MiB | PyTorch {5:0.000} s/step ({6:0.000} CPU s), {7:0} MiB | time ratio {8:0.000}",
                r + 1, rounds, ours!.SecondsPerStep.Median, ours.CpuSecondsPerStep?.Median ?? double.NaN, ours.PeakRssBytes / 1048576.0,
                theirs!.SecondsPerStep.Median, theirs.CpuSecondsPerStep?.Median ?? double.NaN, theirs.PeakRssBytes / 1048576.0,
                ours.SecondsPerStep.Median / theirs.SecondsPerStep.Median));
        }

        var pooledOurs = Pool(pairs.Select(p => p.Ours).ToArray());
        var pooledPeer = Pool(pairs.Select(p => p.Peer).ToArray());
        var result = JsonSerializer.SerializeToNode(pooledOurs, JsonOptions)!.AsObject();
        var pytorch = JsonSerializer.SerializeToNode(pooledPeer, JsonOptions)!.AsObject();
        if (engine is not null)
        {
            pytorch["engine"] = engine;
        }

        result["engine"] = "TorchSharp";
        result["rounds"] = rounds;
        result["pytorch"] = pytorch;
        result["ratio"] = JsonSerializer.SerializeToNode(Ratios(pairs), JsonOptions);
        return result;
    }

    /// <summary>
    /// The ratios of rounds of (TorchSharp, PyTorch) results: time = median over rounds of <c>ours.median ÷ peer.median</c>;
    /// memory = largest peak ÷ largest peak; also the pooled-median time ratio and the per-round ratios.
    /// </summary>
    internal static ComparisonRatio Ratios(IReadOnlyList<(TrainBenchResult Ours, TrainBenchResult Peer)> rounds)
    {
        if (rounds.Count == 0)
        {
            throw new ArgumentException("at least one round is needed.", nameof(rounds));
        }

        var byRound = rounds.Select(p => p.Ours.SecondsPerStep.Median / p.Peer.SecondsPerStep.Median).ToArray();
        var pooled = BenchStatistics.Median(rounds.SelectMany(p => p.Ours.AllStepSeconds))
            / BenchStatistics.Median(rounds.SelectMany(p => p.Peer.AllStepSeconds));
        var memory = (double)rounds.Max(p => p.Ours.PeakRssBytes) / rounds.Max(p => p.Peer.PeakRssBytes);
        double? cpu = rounds.All(p => p.Ours.CpuSecondsPerStep is not null && p.Peer.CpuSecondsPerStep is not null)
            ? BenchStatistics.Median(rounds.Select(p => p.Ours.CpuSecondsPerStep!.Median / p.Peer.CpuSecondsPerStep!.Median))
            : null;
        return new ComparisonRatio(BenchStatistics.Median(byRound), memory, pooled, byRound, cpu);
    }

    /// <summary>
    /// One result from several runs of the same setup: all timed steps pooled (median/min/max, clips/s from the pooled
    /// median), the largest peak RSS, live tensors of the first run's start and the last run's end.
    /// </summary>
    internal static TrainBenchResult Pool(IReadOnlyList<TrainBenchResult> runs)
    {
        if (runs.Count == 0)
        {
            throw new ArgumentException("at least one run is needed.", nameof(runs));
        }

        var steps = runs.SelectMany(r => r.AllStepSeconds).ToArray();
        var median = BenchStatistics.Median(steps);
        var first = runs[0];
        var cpu = runs.All(r => r.AllCpuStepSeconds is { Count: > 0 }) ? runs.SelectMany(r => r.AllCpuStepSeconds!).ToArray() : null;
        return first with
        {
            Steps = steps.Length,
            WarmupSteps = runs.Sum(r => r.WarmupSteps),
            SecondsPerStep = new StepSeconds(median, steps.Min(), steps.Max()),
            ClipsPerSecond = 2.0 * first.BatchSize / median,
            PeakRssBytes = runs.Max(r => r.PeakRssBytes),
            LiveTensorsLast = runs[^1].LiveTensorsLast,
            AllStepSeconds = steps,
            CpuSecondsPerStep = cpu is null ? null : StepSeconds.Of(cpu),
            AllCpuStepSeconds = cpu,
        };
    }

    private static TrainBenchResult RunOurs(Setup setup, CancellationToken cancellationToken)
    {
        var (fileName, prefix) = BenchProcess.Self();
        var json = Path.Combine(Path.GetTempPath(), "constcl-bench-train-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var outcome = BenchProcess.Run(fileName,
            [
                .. prefix, "bench", "train", "--preset", setup.Preset, "--batch-size", Text(setup.BatchSize), "--frames", Text(setup.Frames),
                "--size", Text(setup.Size), "--steps", Text(setup.Steps), "--warmup", Text(setup.Warmup), "--threads", Text(setup.Threads),
                "--json-out", json,
            ], cancellationToken);
            if (outcome.ExitCode != 0 || !File.Exists(json))
            {
                throw new InvalidOperationException(
                    $"the TorchSharp side (`{fileName} {string.Join(' ', prefix)} bench train …`) failed with exit code {outcome.ExitCode}: {BenchProcess.Tail(outcome.Error + "\n" + outcome.Output)}");
            }

            return JsonSerializer.Deserialize<TrainBenchResult>(File.ReadAllText(json), JsonOptions)
                ?? throw new InvalidOperationException("the TorchSharp side wrote an empty result");
        }
        finally
        {
            File.Delete(json);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ConstCl.Losses;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>constcl bench train --preset paper|tiny --batch-size B --frames T --size S [--steps N] [--warmup W] [--device cpu|cuda[:N]] [--json] [--json-out FILE]
/// [--vs-pytorch [--python PATH] [--rounds R] [--script PATH]]</c>:
/// times full ConST-CL training steps (forward, objective, weight-decay term, backward, SGD update) on random inputs
/// and reports seconds per step (median/min/max after warm-up), clips/s, peak resident memory and live tensors.
/// With <c>--vs-pytorch</c> it runs this benchmark and the PyTorch reference script alternately, each in its own
/// process, and adds the PyTorch result and the ratios (<see cref="TrainComparison"/>).
/// </summary>
internal static class BenchTrainCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var preset = SharedOptions.Preset("tiny", "Model and optimiser preset: small, tiny or paper.");
        var batchSize = SharedOptions.BatchSize(2, "Videos per step (two clips each).");
        var frames = new Option<int?>("--frames") { Description = "Frames T per clip (default: the preset's)." }.Within(1, OptionBounds.MaxClipFrames);
        var size = new Option<int?>("--size") { Description = "Clip size S (S×S pixels; default: the preset's)." }.Within(1, OptionBounds.MaxClipSize);
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 5 }.Within(1, 100_000);
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (allocations, first-call costs).", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (0: all cores).", DefaultValueFactory = _ => 0 };
        var json = ResultOutput.Create("the result");
        var vsPyTorch = new Option<bool>("--vs-pytorch") { Description = "Also time the same network in PyTorch (bench/pytorch/constcl_reference.py), alternating rounds, and print the ratios." };
        var python = new Option<string>("--python") { Description = "Python interpreter with torch for --vs-pytorch.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds for --vs-pytorch (each side runs --warmup + --steps per round).", DefaultValueFactory = _ => 2 };
        var script = new Option<string?>("--script") { Description = $"The PyTorch reference script (default: {PyTorchReference.ScriptRelativePath} above the current directory or the tool)." };

        var device = CliParsing.DeviceOption();
        var command = new Command("train", "Seconds per ConST-CL training step, clips/s and peak memory for a preset and clip shape.");
        foreach (var option in new Option[] { preset, batchSize, frames, size, steps, warmup, threads, device, json.Json, json.JsonOut, vsPyTorch, python, rounds, script })
        {
            command.Options.Add(option);
        }

        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var output = json.Text(parse);
            var error = parse.InvocationConfiguration.Error;
            // tiny times the official Tiny network, the one the PyTorch reference builds (the tiny preset's head and
            // input mode cost the same).
            var presetName = parse.GetValue(preset)!;
            var basis = presetName == "tiny" ? ConstClModelOptions.Tiny : ConstClModelOptions.ForPreset(presetName);
            var model = basis with { InputFrames = parse.GetValue(frames) ?? basis.InputFrames, InputSize = parse.GetValue(size) ?? basis.InputSize };
            int b = parse.GetValue(batchSize), n = parse.GetValue(steps), w = parse.GetValue(warmup), t = parse.GetValue(threads);
            if (b < 1 || n < 1 || w < 0 || t < 0 || parse.GetValue(rounds) < 1)
            {
                error.WriteLine("constcl bench train: --batch-size, --steps and --rounds must be ≥ 1, --warmup and --threads ≥ 0.");
                return 2;
            }

            json.EnsureWritable(parse);
            if (parse.GetValue(vsPyTorch))
            {
                if (parse.GetValue(device).IsCuda)
                {
                    error.WriteLine("constcl bench train --vs-pytorch: the comparison runs both sides on the CPU; drop --device or --vs-pytorch.");
                    return 2;
                }

                if (parse.GetValue(preset) == "small")
                {
                    error.WriteLine("constcl bench train --vs-pytorch: the PyTorch reference builds the R3D-50 presets only (tiny or paper), not small.");
                    return 2;
                }

                return Compare(parse.GetValue(preset)!, model, b, n, w, t, parse.GetValue(python)!, parse.GetValue(script), parse.GetValue(rounds), document => json.Write(parse, document), output, error, cancellationToken);
            }

            TrainBenchResult result;
            try
            {
                model.Validate();
                result = Run(parse.GetValue(preset)!, model, b, n, w, t, parse.GetValue(device), cancellationToken);
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"constcl bench train: {e.Message}");
                return 2;
            }

            var c = CultureInfo.InvariantCulture;
            output.WriteLine(string.Format(c, "preset {0}, batch {1}, {2}×{3}² clips, {4} threads on {7}, {5} timed steps after {6} warm-up:",
                result.Preset, result.BatchSize, result.Frames, result.Size, result.Threads, result.Steps, result.WarmupSteps, result.Device));
            output.WriteLine(string.Format(c, "  seconds/step: median {0:0.000}, min {1:0.000}, max {2:0.000}; {3:0.00} clips/s",
                result.SecondsPerStep.Median, result.SecondsPerStep.Min, result.SecondsPerStep.Max, result.ClipsPerSecond));
            output.WriteLine(string.Format(c, "  CPU seconds/step (all threads): median {0:0.000}", result.CpuSecondsPerStep!.Median));
            output.WriteLine(string.Format(c, "  peak RSS {0:0.0} MiB; live tensors per step start: {1} (first) → {2} (last)",
                result.PeakRssBytes / 1048576.0, result.LiveTensorsFirst, result.LiveTensorsLast));
            json.Write(parse, JsonSerializer.Serialize(result, JsonOptions));

            return 0;
        });
        return command;
    }

    /// <summary>--vs-pytorch: both sides as child processes, alternating; prints both and the ratios.</summary>
    private static int Compare(
        string preset, ConstClModelOptions model, int batch, int steps, int warmup, int threads, string python, string? script, int rounds, Action<string> writeJson,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            model.Validate();
        }
        catch (ArgumentException e)
        {
            error.WriteLine($"constcl bench train: {e.Message}");
            return 2;
        }

        System.Text.Json.Nodes.JsonObject combined;
        try
        {
            var peer = PyTorchReference.Locate(python, script, cancellationToken);
            TorchRuntime.Initialize(1);                                  // counting only; the timed work runs in the children
            var parameters = ModelParameterCounts.For(model).Total;
            var setup = new TrainComparison.Setup(preset, batch, model.InputFrames, model.InputSize, steps, warmup, threads == 0 ? Environment.ProcessorCount : threads, parameters);
            output.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "TorchSharp vs PyTorch ({0}): preset {1} ({2:N0} parameters), batch {3}, {4}×{5}² clips, {6} threads, {7} rounds of {8} warm-up + {9} timed steps per side",
                python, preset, parameters, batch, setup.Frames, setup.Size, setup.Threads, rounds, warmup, steps));
            combined = TrainComparison.Run(setup, peer, rounds, error, cancellationToken);   // one progress line per round
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"constcl bench train --vs-pytorch: {e.Message}");
            return 1;
        }

        var c = CultureInfo.InvariantCulture;
        foreach (var (name, side) in new[] { ("TorchSharp", combined), ("PyTorch   ", combined["pytorch"]!.AsObject()) })
        {
            var s = side["secondsPerStep"]!;
            output.WriteLine(string.Format(c, "{0}: seconds/step median {1:0.000}, min {2:0.000}, max {3:0.000}; {4:0.00} clips/s; peak RSS {5:0.0} MiB",
                name, (double)s["median"]!, (double)s["min"]!, (double)s["max"]!, (double)side["clipsPerSecond"]!, (long)side["peakRssBytes"]! / 1048576.0));
        }

        var ratio = combined["ratio"]!;
        output.WriteLine(string.Format(c, "ratio TorchSharp/PyTorch: time {0:0.000} (median of per-round ratios; pooled medians {1:0.000}; CPU time {2:0.000}), peak memory {3:0.000}",
            (double)ratio["secondsPerStep"]!, (double)ratio["pooledSecondsPerStep"]!, (double?)ratio["cpuSecondsPerStep"] ?? double.NaN, (double)ratio["peakRssBytes"]!));
        writeJson(combined.ToJsonString(JsonOptions));

        return 0;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// Builds the model and the preset's optimiser on <paramref name="device"/> and times <paramref name="steps"/> training steps
    /// after <paramref name="warmup"/> (the random batches are drawn on the CPU and moved, as the loader's are).
    /// </summary>
    internal static TrainBenchResult Run(
        string preset, ConstClModelOptions modelOptions, int batchSize, int steps, int warmup, int threads, ComputeDevice device = default, CancellationToken cancellationToken = default)
    {
        TorchRuntime.Initialize(threads);
        var target = TorchRuntime.Resolve(device);
        // The optimiser the PyTorch reference runs: the official momentum SGD with the L2 term for paper and tiny (the
        // official Tiny recipe), the preset's AdamW for small.
        var basis = preset == "small" ? PretrainingOptions.Small : PretrainingOptions.TinyOfficial;
        var training = basis with { Model = modelOptions, BatchSize = batchSize, GradientClipNorm = null, WarmupSteps = 0, Device = device };
        using var model = ConstClModel.Create(modelOptions, 1);
        model.to(target);   // before the optimiser, whose state is created beside the parameters
        model.train();
        using var optimizer = ConstClOptimizer.Create(training, model);
        var step = new TrainingStep(model, optimizer, training with { Objective = new ConstClObjectiveOptions() });
        using var generator = new Generator(7);
        var seconds = new List<double>();
        var cpuSeconds = new List<double>();
        using var self = Process.GetCurrentProcess();
        long liveFirst = 0, liveLast = 0;
        for (var s = 0; s < warmup + steps; s++)
        {
            cancellationToken.ThrowIfCancellationRequested();   // Ctrl+C: between steps; nothing is written
            if (s == warmup)
            {
                liveFirst = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            }

            self.Refresh();
            var cpuStart = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            {
                var input = RandomTrainingInput.Create(batchSize, modelOptions.InputFrames, modelOptions.InputSize, 8, generator).To(target);
                _ = step.Run(input, 1e-3);   // reads the loss: waits for the step (and checks it ran) on any device
            }

            if (s >= warmup)
            {
                seconds.Add(clock.Elapsed.TotalSeconds);
                self.Refresh();
                cpuSeconds.Add((self.TotalProcessorTime - cpuStart).TotalSeconds);
            }
        }

        liveLast = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var sorted = seconds.Order().ToArray();
        var median = BenchStatistics.Median(sorted);
        return new TrainBenchResult(
            preset, batchSize, modelOptions.InputFrames, modelOptions.InputSize, torch.get_num_threads(), steps, warmup,
            new StepSeconds(median, sorted[0], sorted[^1]), 2 * batchSize / median, PeakRssBytes(), liveFirst, liveLast, seconds,
            StepSeconds.Of(cpuSeconds), cpuSeconds, device.ToString());
    }

    /// <summary>Peak resident set size (VmHWM of /proc/self/status) in bytes; 0 where /proc is not available.</summary>
    internal static long PeakRssBytes()
    {
        const string path = "/proc/self/status";
        if (!File.Exists(path))
        {
            return 0;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}

/// <summary>Median, fastest and slowest timed step.</summary>
internal sealed record StepSeconds(double Median, double Min, double Max)
{
    /// <summary>The statistics of <paramref name="seconds"/> (at least one value).</summary>
    internal static StepSeconds Of(IReadOnlyCollection<double> seconds) => new(BenchStatistics.Median(seconds), seconds.Min(), seconds.Max());
}

/// <summary>
/// The result of <c>bench train</c> (serialised with camelCase names). <see cref="CpuSecondsPerStep"/> is the process
/// CPU time (all threads) per step: on a machine shared with other work it measures the work done, which wall time
/// does not; with one thread it is the robust figure to compare engines by.
/// </summary>
internal sealed record TrainBenchResult(
    string Preset,
    int BatchSize,
    int Frames,
    int Size,
    int Threads,
    int Steps,
    int WarmupSteps,
    StepSeconds SecondsPerStep,
    double ClipsPerSecond,
    long PeakRssBytes,
    long LiveTensorsFirst,
    long LiveTensorsLast,
    [property: JsonPropertyName("stepSeconds")] IReadOnlyList<double> AllStepSeconds,
    StepSeconds? CpuSecondsPerStep = null,
    [property: JsonPropertyName("cpuStepSeconds")] IReadOnlyList<double>? AllCpuStepSeconds = null,
    string Device = "cpu");

using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Runtime;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>constcl bench embed [--model ENCODER.constcl | --preset small|tiny|paper] [--batch-size B] [--frames T] [--size S] [--threads N] [--device cpu|cuda[:N]] [--repeats R] [--no-onnx] [--json] [--json-out FILE]
/// [--vs-pytorch [--python PATH] [--rounds R] [--script PATH]]</c>:
/// clips per second of <see cref="VideoEncoder.Encode(Tensor)"/> (TorchSharp, eval, no_grad) and of the same encoder exported to ONNX
/// (Clips layout, BN folded) under ONNX Runtime, on the same random clips; also the largest difference of the two outputs.
/// With <c>--vs-pytorch</c> (presets only) the TorchSharp forward pass is compared with PyTorch's (<see cref="EmbedComparison"/>).
/// </summary>
internal static class BenchEmbedCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "An encoder file; without it a randomly initialised --preset model is timed." };
        var preset = SharedOptions.Preset("tiny", "The network timed without --model: small, tiny or paper.");
        var batch = SharedOptions.BatchSize(4, "Clips per forward pass of the encoder.");
        var frames = new Option<int?>("--frames") { Description = "T (default: the model's pre-training length)." }.Within(1, OptionBounds.MaxClipFrames);
        var size = new Option<int?>("--size") { Description = "S (default: the model's pre-training size)." }.Within(1, OptionBounds.MaxClipSize);
        var threads = new Option<int>("--threads") { Description = "Threads for libtorch and ONNX Runtime (0: libtorch's default, ONNX Runtime's default).", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes after one warm-up; the fastest counts.", DefaultValueFactory = _ => 3 };
        var noOnnx = new Option<bool>("--no-onnx") { Description = "Time TorchSharp only." };
        var json = ResultOutput.Create("the result");
        var vsPyTorch = new Option<bool>("--vs-pytorch") { Description = "Compare the TorchSharp forward pass with PyTorch's (bench/pytorch/constcl_reference.py --mode embed), alternating rounds; presets only." };
        var python = new Option<string>("--python") { Description = "Python interpreter with torch for --vs-pytorch.", DefaultValueFactory = _ => "/usr/bin/python3" };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds for --vs-pytorch.", DefaultValueFactory = _ => 2 };
        var script = new Option<string?>("--script") { Description = $"The PyTorch reference script (default: {PyTorchReference.ScriptRelativePath} above the current directory or the tool)." };
        var device = CliParsing.DeviceOption();
        var command = new Command("embed", "Encoder clips/s in TorchSharp and in ONNX Runtime (exported model).")
        {
            model, preset, batch, frames, size, threads, device, repeats, noOnnx, json.Json, json.JsonOut, vsPyTorch, python, rounds, script,
            SharedOptions.RenamedBatch(),
        };
        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var stdout = json.Text(parse);
            var stderr = parse.InvocationConfiguration.Error;
            int b = parse.GetValue(batch), r = parse.GetValue(repeats), n = parse.GetValue(threads);
            if (b < 1 || r < 1 || n < 0)
            {
                stderr.WriteLine("constcl bench embed: --batch-size and --repeats must be ≥ 1, --threads ≥ 0.");
                return 2;
            }

            json.EnsureWritable(parse);
            if (parse.GetValue(vsPyTorch))
            {
                if (parse.GetValue(device).IsCuda)
                {
                    stderr.WriteLine("constcl bench embed --vs-pytorch: the comparison runs both sides on the CPU; drop --device or --vs-pytorch.");
                    return 2;
                }

                return Compare(parse, preset, model, frames, size, b, n, r, parse.GetValue(python)!, parse.GetValue(script), parse.GetValue(rounds), document => json.Write(parse, document), stdout, stderr, cancellationToken);
            }

            TorchRuntime.Initialize(n);
            var target = TorchRuntime.Resolve(parse.GetValue(device));   // a GPU the back-end cannot run: exit 1 naming the package
            VideoEncoder encoder;
            ConstClModel? owned = null;
            string name;
            try
            {
                if (parse.GetValue(model) is string path)
                {
                    encoder = VideoEncoder.Load(path, device: parse.GetValue(device));
                    name = path;
                }
                else
                {
                    var options = ConstClModelOptions.ForPreset(parse.GetValue(preset)!);
                    using var generator = new Generator(0);
                    owned = ConstClModel.Create(options, generator);
                    owned.to(target);
                    encoder = VideoEncoder.FromModel(owned);
                    name = parse.GetValue(preset)! + " (random weights)";
                }
            }
            catch (Exception ex) when (ex is FileNotFoundException or CorruptFileException or ArgumentException)
            {
                stderr.WriteLine($"constcl bench embed: {ex.Message}");
                return ex is ArgumentException && parse.GetValue(model) is null ? 2 : 1;
            }

            using (owned)
            using (encoder)
            {
                var result = Run(encoder, name, b, parse.GetValue(frames) ?? encoder.Options.InputFrames, parse.GetValue(size) ?? encoder.Options.InputSize, n, r, !parse.GetValue(noOnnx), cancellationToken);
                var c = CultureInfo.InvariantCulture;
                stdout.WriteLine(string.Format(c, "encoder {0}: D = {1}, clips [{2}, 3, {3}, {4}, {4}], {5} threads", result.Encoder, result.EmbeddingDimension, result.Batch, result.Frames, result.Size, result.Threads));
                stdout.WriteLine(string.Format(c, "TorchSharp:   {0:0.000} s per batch, {1:0.00} clips/s on {2}", result.TorchSharpSeconds, result.TorchSharpClipsPerSecond, result.Device));
                if (result.OnnxClipsPerSecond is double onnx)
                {
                    stdout.WriteLine(string.Format(c, "ONNX Runtime: {0:0.000} s per batch, {1:0.00} clips/s (max |difference| of unit-norm outputs {2:E1})", result.OnnxSeconds, onnx, result.MaxAbsDifference));
                }

                json.Write(parse, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        });
        return command;
    }

    /// <summary>--vs-pytorch: our forward pass and PyTorch's, alternately in child processes.</summary>
    private static int Compare(
        ParseResult parse, Option<string> preset, Option<string?> model, Option<int?> frames, Option<int?> size, int batch, int threads, int repeats,
        string python, string? script, int rounds, Action<string> writeJson, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var name = parse.GetValue(preset)!.ToLowerInvariant();
        if (parse.GetValue(model) is not null || name is not ("tiny" or "paper") || rounds < 1)
        {
            stderr.WriteLine("constcl bench embed --vs-pytorch: compares a --preset (tiny or paper) network, not a --model file; --rounds must be ≥ 1.");
            return 2;
        }

        var options = name == "paper" ? ConstClModelOptions.Paper : ConstClModelOptions.Tiny;
        System.Text.Json.Nodes.JsonObject combined;
        try
        {
            var peer = PyTorchReference.Locate(python, script, cancellationToken);
            TorchRuntime.Initialize(1);                                  // counting only; the timed work runs in the children
            var setup = new EmbedComparison.Setup(
                name, batch, parse.GetValue(frames) ?? options.InputFrames, parse.GetValue(size) ?? options.InputSize,
                threads == 0 ? Environment.ProcessorCount : threads, repeats, ModelParameterCounts.For(options).Total);
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture,
                "TorchSharp vs PyTorch ({0}) frozen-encoder forward: preset {1}, clips [{2}, 3, {3}, {4}, {4}], {5} threads, best of {6} per side, {7} rounds",
                python, name, batch, setup.Frames, setup.Size, setup.Threads, repeats, rounds));
            combined = EmbedComparison.Run(setup, peer, rounds, stderr, cancellationToken);   // one progress line per round
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine($"constcl bench embed --vs-pytorch: {e.Message}");
            return 1;
        }

        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "ratio TorchSharp/PyTorch clips/s: {0:0.000} (median of per-round ratios; target ≥ 1); per CPU second {1:0.000}",
            (double)combined["ratio"]!["clipsPerSecond"]!, (double?)combined["ratio"]!["cpuClipsPerSecond"] ?? double.NaN));
        writeJson(EmbedComparison.Serialize(combined));

        return 0;
    }

    /// <summary>Times both engines on the same random clips in [−1, 1).</summary>
    internal static EmbedBenchResult Run(
        VideoEncoder encoder, string name, int batch, int frames, int size, int threads, int repeats, bool onnx, CancellationToken cancellationToken = default)
    {
        var shape = new long[] { batch, 3, frames, size, size };
        float[] clips;
        using (var generator = new Generator(1))
        using (var x = (rand(shape, generator: generator) * 2) - 1)
        {
            clips = x.data<float>().ToArray();
        }

        float[] torchOut = [];
        double best = double.MaxValue, bestCpu = double.MaxValue;
        using var self = Process.GetCurrentProcess();
        for (int i = 0; i <= repeats; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();   // Ctrl+C: between passes; nothing is written
            self.Refresh();
            var cpu = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            torchOut = encoder.Encode(clips, shape);
            if (i > 0)
            {
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                self.Refresh();
                bestCpu = Math.Min(bestCpu, (self.TotalProcessorTime - cpu).TotalSeconds);   // process CPU time: robust on a busy machine
            }
        }

        double? onnxBest = null, diff = null;
        if (onnx)
        {
            using var options = new SessionOptions();
            if (threads > 0)
            {
                options.IntraOpNumThreads = threads;
                options.InterOpNumThreads = 1;
            }

            using var session = new InferenceSession(encoder.ExportOnnx(), options);
            using var runOptions = new RunOptions();
            float[] onnxOut = [];
            double ob = double.MaxValue;
            for (int i = 0; i <= repeats; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var watch = Stopwatch.StartNew();
                using var input = OrtValue.CreateTensorValueFromMemory(clips, shape);
                using var outputs = session.Run(runOptions, new Dictionary<string, OrtValue> { ["clips"] = input }, session.OutputNames);
                onnxOut = outputs[0].GetTensorDataAsSpan<float>().ToArray();
                if (i > 0)
                {
                    ob = Math.Min(ob, watch.Elapsed.TotalSeconds);
                }
            }

            onnxBest = ob;
            int d = encoder.EmbeddingDimension;
            double m = 0;
            for (int row = 0; row < batch; row++)
            {
                double norm = Math.Max(Math.Sqrt(Enumerable.Range(0, d).Sum(k => (double)torchOut[(row * d) + k] * torchOut[(row * d) + k])), 1e-12);
                for (int k = 0; k < d; k++)
                {
                    m = Math.Max(m, Math.Abs((torchOut[(row * d) + k] / norm) - onnxOut[(row * d) + k]));
                }
            }

            diff = m;
        }

        return new EmbedBenchResult(name, encoder.EmbeddingDimension, batch, frames, size, threads == 0 ? get_num_threads() : threads, repeats,
            best, batch / best, onnxBest, onnxBest is double o ? batch / o : null, diff, bestCpu, encoder.Device.ToString());
    }
}

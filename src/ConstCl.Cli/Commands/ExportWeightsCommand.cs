using System.CommandLine;
using System.Globalization;
using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Interop;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl export-weights (--model ENCODER.constcl | --checkpoint FILE.ckpt|RUN_DIR) --out FILE.safetensors</c>: writes
/// an encoder (backbone) or a whole model from a checkpoint as safetensors with PyTorch state-dict names.
/// </summary>
internal static class ExportWeightsCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "An encoder file (.constcl): writes the backbone (backbone.* names)." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A checkpoint (.ckpt), or a run folder (its newest checkpoint): writes every module." };
        var output = new Option<string>("--out") { Description = "The .safetensors file to write (temporary file, then rename).", Required = true };
        var command = new Command("export-weights", "Export weights as safetensors with PyTorch state-dict names (load them with the PyTorch modules of bench/pytorch/constcl_reference.py).")
        {
            model, checkpoint, output,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            string? encoderPath = parse.GetValue(model), checkpointPath = parse.GetValue(checkpoint);
            var target = parse.GetValue(output)!;
            if ((encoderPath is null) == (checkpointPath is null))
            {
                stderr.WriteLine("constcl export-weights: give exactly one of --model (an encoder file) or --checkpoint (a checkpoint or run folder).");
                return ExitCodes.Usage;
            }

            OutputLocation.EnsureFileWritable(target, "--out");
            TorchRuntime.Initialize();
            string what;
            if (encoderPath is not null)
            {
                using var encoder = VideoEncoder.Load(encoderPath);
                WeightsExchange.ExportEncoder(encoder, target);
                what = $"encoder {encoder.Hash[..12]} (backbone, embedding {encoder.EmbeddingDimension})";
            }
            else
            {
                using var saved = OpenCheckpoint(checkpointPath!, stderr);
                var options = PretrainingOptions.FromJson(saved.OptionsJson);
                using var network = ConstClModel.Create(options.Model, options.Seed);
                saved.Restore(network);
                WeightsExchange.ExportModel(network, target);
                what = $"the whole model at step {saved.Step} of '{saved.Path}'";
            }

            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.GetFullPath(target)} ({new FileInfo(target).Length / 1024.0:F0} KiB): {what}, PyTorch state-dict names, model options in the metadata."));
            return 0;
        });
        return command;
    }

    /// <summary>A checkpoint file as given, or the newest valid one in a run folder (or its checkpoints/ folder; damaged newer ones are reported and skipped).</summary>
    private static Checkpoint OpenCheckpoint(string path, TextWriter stderr)
    {
        if (File.Exists(path))
        {
            return Checkpoint.Read(path);
        }

        if (!Directory.Exists(path))
        {
            throw new FileNotFoundException($"No checkpoint or run folder at '{path}'.", path);
        }

        var folder = Path.Combine(path, Pretrainer.CheckpointDirectoryName);
        var store = new CheckpointStore(Directory.Exists(folder) ? folder : path, keepLast: int.MaxValue);
        var latest = store.LoadLatest();
        foreach (var skipped in latest.Skipped)
        {
            stderr.WriteLine($"constcl export-weights: skipped {skipped}");
        }

        return latest.Checkpoint ?? throw new FileNotFoundException($"'{path}' holds no usable checkpoint (*{CheckpointStore.Extension}).", path);
    }
}

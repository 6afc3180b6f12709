using System.CommandLine;
using System.Globalization;
using ConstCl.Checkpoints;
using ConstCl.Interop;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl import-weights --weights FILE.safetensors --out ENCODER.constcl [--preset small|tiny|paper]</c>: turns
/// backbone weights trained elsewhere (PyTorch state-dict names) into an encoder file for <c>embed</c>, <c>probe</c> and ML.NET.
/// </summary>
internal static class ImportWeightsCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var weights = new Option<string>("--weights") { Description = "A .safetensors file: a whole model's or a backbone's state dict (backbone.* or unprefixed names).", Required = true };
        var output = new Option<string>("--out") { Description = "The encoder file to write (.constcl).", Required = true };
        var preset = SharedOptions.OptionalPreset("The network the weights belong to (small, tiny, paper); needed when the file carries no ConstCl model options.");
        var command = new Command("import-weights", "Make an encoder file from safetensors weights (for example trained in PyTorch).")
        {
            weights, output, preset,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            ConstClModelOptions? options = null;
            if (parse.GetValue(preset) is { } name)
            {
                try
                {
                    options = ConstClModelOptions.ForPreset(name);
                }
                catch (ArgumentException ex)
                {
                    stderr.WriteLine($"constcl import-weights: --preset: {ex.Message}");
                    return ExitCodes.Usage;
                }
            }

            TorchRuntime.Initialize();
            string source = parse.GetValue(weights)!, target = parse.GetValue(output)!;
            OutputLocation.EnsureFileWritable(target, "--out");
            using var encoder = WeightsExchange.ImportEncoder(source, options);
            encoder.Save(target);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {Path.GetFullPath(target)}: encoder {encoder.Hash[..12]}, embedding {encoder.EmbeddingDimension}, clips {encoder.Options.InputFrames}x{encoder.Options.InputSize}x{encoder.Options.InputSize}, {(options is null ? "options from the file" : $"preset {parse.GetValue(preset)}")}."));
            return 0;
        });
        return command;
    }
}

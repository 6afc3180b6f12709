using System.CommandLine;
using System.Globalization;
using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Export;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl export-onnx --model ENCODER.constcl --out FILE.onnx [--branch global|local] [--stage res2|res3|res4|res5] [--layout clips|flat] [--no-fold-bn] [--no-l2-normalize]</c>:
/// writes the frozen encoder (stem … res5, global average pool, L2 normalisation) as an ONNX model for ONNX Runtime or ML.NET.
/// </summary>
internal static class ExportOnnxCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var model = new Option<string>("--model") { Description = "The encoder file (.constcl).", Required = true };
        var output = new Option<string>("--out") { Description = "The ONNX file to write (temporary file, then rename).", Required = true };
        var branch = SharedOptions.Branch("Which res5 to export: global (video embeddings) or local.");
        var stage = SharedOptions.Stage();
        var layout = new Option<string>("--layout") { Description = "clips: [N,3,T,H,W] → [N,D] per clip (ONNX Runtime); flat: one video's K·C clips as [1,L] + clip_shape[5] → [1,D] (ML.NET).", DefaultValueFactory = _ => "clips" }.OneOf("clips", "flat");
        var noFold = new Option<bool>("--no-fold-bn") { Description = "Keep BatchNormalization nodes instead of folding them into the convolutions." };
        var noL2 = new Option<bool>("--no-l2-normalize") { Description = "Output the raw pooled features (to average several clips and normalise afterwards, as VideoEmbedder does)." };
        var command = new Command("export-onnx", "Export a trained encoder to ONNX (opset 18), parity-checked against TorchSharp by the test suite.")
        {
            model, output, branch, stage, layout, noFold, noL2,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (!CliParsing.TryBranch(parse.GetValue(branch)!, out var b))
            {
                stderr.WriteLine($"constcl export-onnx: --branch must be 'global' or 'local'; got '{parse.GetValue(branch)}'.");
                return 2;
            }

            if (!CliParsing.TryStage(parse.GetValue(stage)!, out var s))
            {
                stderr.WriteLine($"constcl export-onnx: --stage must be res2, res3, res4 or res5; got '{parse.GetValue(stage)}'.");
                return 2;
            }

            OnnxInputLayout l;
            switch (parse.GetValue(layout)!.ToLowerInvariant())
            {
                case "clips": l = OnnxInputLayout.Clips; break;
                case "flat": l = OnnxInputLayout.FlatClips; break;
                default:
                    stderr.WriteLine($"constcl export-onnx: --layout must be 'clips' or 'flat'; got '{parse.GetValue(layout)}'.");
                    return 2;
            }

            TorchRuntime.Initialize();
            string path = parse.GetValue(model)!, target = parse.GetValue(output)!;
            try
            {
                using var encoder = VideoEncoder.Load(path, b, stage: s);
                var options = new OnnxExportOptions { InputLayout = l, FoldBatchNorm = !parse.GetValue(noFold), L2Normalize = !parse.GetValue(noL2) };
                encoder.ExportOnnx(target, options);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {Path.GetFullPath(target)} ({new FileInfo(target).Length / 1024.0:F0} KiB): branch {b}, stage {s}, layout {l}, BN {(options.FoldBatchNorm ? "folded" : "kept")}, {(options.L2Normalize ? "unit-norm" : "raw")} output, embedding {encoder.EmbeddingDimension}, clips {encoder.Options.InputFrames}x{encoder.Options.InputSize}x{encoder.Options.InputSize} (pre-training size), encoder {encoder.Hash[..12]}"));
                return 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException or CorruptFileException or ArgumentException or NotSupportedException or IOException)
            {
                stderr.WriteLine($"constcl export-onnx: {ex.Message}");
                return 1;
            }
        });
        return command;
    }
}

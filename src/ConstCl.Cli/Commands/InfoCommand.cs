using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Cli.Commands;

/// <summary><c>constcl info [--preset small|tiny|paper] [--json]</c>: parameter counts and tensor shapes of a model preset.</summary>
internal static class InfoCommand
{
    /// <summary>Builds the <c>info</c> command.</summary>
    internal static Command Create()
    {
        var preset = SharedOptions.Preset("paper", "Model preset: small (the CPU default of pretrain), tiny (the official R3D-50 topology, narrow and short, as the tiny preset trains it) or paper (official ConST-CL R3D-50, 16×224²).");
        var json = SharedOptions.Json("one object with the trainable parameter counts");

        var command = new Command("info", "Show the trainable parameter counts and tensor shapes of a model preset.");
        command.Options.Add(preset);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var name = parse.GetValue(preset) ?? "paper";
            var options = ConstClModelOptions.ForPreset(name);
            TorchRuntime.Initialize();
            var counts = ModelParameterCounts.For(options);
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                output.WriteLine(ToJson(name, counts));
            }
            else
            {
                WriteTable(output, name, options, counts);
            }

            return 0;
        });
        return command;
    }

    /// <summary>The JSON object printed by <c>--json</c> (one line).</summary>
    internal static string ToJson(string preset, ModelParameterCounts counts) => JsonSerializer.Serialize(new
    {
        preset,
        trainableParameters = new
        {
            backbone = counts.Backbone,
            res5Local = counts.Res5Local,
            globalHead = counts.GlobalHead,
            localHead = counts.LocalHead,
            total = counts.Total,
        },
        cvrlBaselineTrainableParameters = counts.CvrlBaseline,
    });

    private static void WriteTable(TextWriter output, string preset, ConstClModelOptions options, ModelParameterCounts counts)
    {
        static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
        static string S(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
        var feature = options.FeatureShape;
        var local = options.LocalHead;
        var memory = local.IsVanilla
            ? "none (vanilla MLP region head, context length 0)"
            : $"{S([local.ContextLength * feature[2] * feature[3], feature[0] + (local.UsePositionalEmbedding ? 2L * local.PositionalChannels : 0)])} per clip (L = {local.ContextLength})";

        output.WriteLine($"ConST-CL model, preset '{preset}'");
        output.WriteLine();
        output.WriteLine("Trainable parameters");
        output.WriteLine($"  {"backbone (stem..res5)",-28}{N(counts.Backbone),14}");
        output.WriteLine($"  {"res5_local",-28}{N(counts.Res5Local),14}");
        output.WriteLine($"  {"global head",-28}{N(counts.GlobalHead),14}");
        output.WriteLine($"  {"local head",-28}{N(counts.LocalHead),14}");
        output.WriteLine($"  {"total",-28}{N(counts.Total),14}");
        output.WriteLine($"  {"CVRL baseline",-28}{N(counts.CvrlBaseline),14}");
        output.WriteLine();
        output.WriteLine("Shapes (B videos, two views, N boxes per key frame)");
        output.WriteLine($"  {"input view",-28}{S([-1, .. options.InputShape]).Replace("-1", "B", StringComparison.Ordinal)}");
        output.WriteLine($"  {"res5 / res5_local",-28}{S([-1, .. feature]).Replace("-1", "2B", StringComparison.Ordinal)}");
        output.WriteLine($"  {"global embeddings",-28}[2B, {options.GlobalHead.OutputChannels}]");
        output.WriteLine($"  {"region features h, z",-28}[B, N, {feature[0]}]");
        output.WriteLine($"  {"context memory",-28}{memory}");
    }
}

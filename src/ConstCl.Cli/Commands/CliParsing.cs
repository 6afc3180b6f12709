using ConstCl.Datasets;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Cli.Commands;

/// <summary>Small parsers shared by the commands.</summary>
internal static class CliParsing
{
    /// <summary>"global" / "local" (any case) → the branch.</summary>
    internal static bool TryBranch(string text, out BackboneBranch branch)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "global":
                branch = BackboneBranch.Global;
                return true;
            case "local":
                branch = BackboneBranch.Local;
                return true;
            default:
                branch = default;
                return false;
        }
    }

    /// <summary>"res2" … "res5" (any case) → the stage.</summary>
    internal static bool TryStage(string text, out BackboneStage stage) =>
        Enum.TryParse(text.Trim(), ignoreCase: true, out stage) && Enum.IsDefined(stage) && !int.TryParse(text, out _);

    /// <summary>
    /// The <c>--data-root DIR</c> option of every command that reads video lists: when given, each listed video must lie in
    /// that folder once symbolic links are resolved; the others are left out and reported (<see cref="VideoDataset.WithinDataRoot"/>).
    /// </summary>
    internal static Option<string?> DataRootOption() => new("--data-root")
    {
        Description = "Confine the videos to this folder (symbolic links resolved): listed videos outside it are left out and reported. For services that read lists written by others; by default absolute paths and '..' are allowed.",
    };

    /// <summary>The dataset confined to <paramref name="dataRoot"/> when one is given (<see cref="VideoDataset.WithinDataRoot"/>).</summary>
    internal static VideoDataset Confine(VideoDataset dataset, string? dataRoot) => dataRoot is null ? dataset : dataset.WithinDataRoot(dataRoot);

    /// <summary>
    /// The <c>--device cpu|cuda[:N]</c> option every command that runs the network shares: a value that is not a device is a
    /// parse error (exit 2); whether the back-end can run it is decided later by <see cref="TorchRuntime.Resolve"/> (exit 1).
    /// </summary>
    internal static Option<ComputeDevice> DeviceOption()
    {
        var option = new Option<ComputeDevice>("--device")
        {
            Description = "Where the network runs: cpu (default), cuda (GPU 0) or cuda:N. A GPU needs a CUDA build of the tool (README, \"GPU\").",
            DefaultValueFactory = _ => ComputeDevice.Cpu,
            HelpName = "cpu|cuda[:N]",
        };
        option.CompletionSources.Add("cpu", "cuda", "cuda:0");
        option.CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return ComputeDevice.Cpu;
            }

            var text = result.Tokens[^1].Value;
            if (ComputeDevice.TryParse(text, out var device))
            {
                return device;
            }

            result.AddError($"--device expects cpu, cuda or cuda:N (N = 0, 1, …); got '{text}'.");
            return ComputeDevice.Cpu;
        };
        return option;
    }

    /// <summary>"i/n" with 0 ≤ i &lt; n.</summary>
    internal static bool TryShard(string? text, out int index, out int count)
    {
        index = 0;
        count = 1;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var parts = text.Split('/');
        return parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            && count >= 1 && index < count;
    }

    /// <summary>
    /// Gives every integer and number option of <paramref name="command"/> and its sub-commands a parser whose error says
    /// "expected a whole number" instead of System.CommandLine's "expected type 'System.Nullable`1[System.Int32]'".
    /// Values are read with the invariant culture, as the help text writes them.
    /// </summary>
    internal static void UseReadableNumberParsers(Command command)
    {
        foreach (var option in command.Options)
        {
            switch (option)
            {
                case Option<int> o when o.CustomParser is null:
                    o.CustomParser = Parser<int>(o, "a whole number", (string t, out int v) => int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v));
                    break;
                case Option<int?> o when o.CustomParser is null:
                    o.CustomParser = Parser<int?>(o, "a whole number", (string t, out int? v) => Nullable(int.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int x), x, out v));
                    break;
                case Option<double> o when o.CustomParser is null:
                    o.CustomParser = Parser<double>(o, "a number", (string t, out double v) => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out v));
                    break;
                case Option<double?> o when o.CustomParser is null:
                    o.CustomParser = Parser<double?>(o, "a number", (string t, out double? v) => Nullable(double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double x), x, out v));
                    break;
                case Option<float?> o when o.CustomParser is null:
                    o.CustomParser = Parser<float?>(o, "a number", (string t, out float? v) => Nullable(float.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out float x), x, out v));
                    break;
            }
        }

        foreach (var sub in command.Subcommands)
        {
            UseReadableNumberParsers(sub);
        }
    }

    private delegate bool TryParse<T>(string text, out T value);

    private static Func<ArgumentResult, T?> Parser<T>(Option option, string expected, TryParse<T> tryParse) => result =>
    {
        if (result.Tokens.Count == 0)
        {
            // Not given: a custom parser replaces the default value factory, so ask for it here.
            return option.HasDefaultValue && option.GetDefaultValue() is T value ? value : default;
        }

        string text = result.Tokens[^1].Value;
        if (tryParse(text, out var parsed))
        {
            return parsed;
        }

        result.AddError($"{option.Name} expects {expected}; got '{text}'.");
        return default;
    };

    private static bool Nullable<T>(bool ok, T value, out T? result)
        where T : struct
    {
        result = ok ? value : null;
        return ok;
    }
}

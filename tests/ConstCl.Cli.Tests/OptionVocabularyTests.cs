using System.CommandLine;
using System.CommandLine.Completions;

namespace ConstCl.Cli.Tests;

/// <summary>
/// The tool speaks one vocabulary (README, "One vocabulary across commands"): every choice option declares its values, so
/// help and completion list them and anything else is a parse error naming them (exit 2); the shared options have one name
/// and one type in every command; the renamed options are refused with a message naming the new name (exit 2), and so is
/// a file name after the <c>--json</c> switch (it names <c>--json-out FILE</c>).
/// </summary>
public sealed class OptionVocabularyTests
{
    [Theory]
    [InlineData("info", "--preset", "small|tiny|paper")]
    [InlineData("pretrain", "--preset", "small|tiny|paper")]
    [InlineData("pretrain", "--split", "1|2|3")]
    [InlineData("pretrain", "--input", "rgb|difference")]
    [InlineData("pretrain", "--flip", "independent|shared|none")]
    [InlineData("pretrain", "--optimizer", "sgd|lars|adamw")]
    [InlineData("embed", "--branch", "global|local")]
    [InlineData("embed", "--crops", "1|3")]
    [InlineData("probe", "--preset", "small|tiny|paper")]
    [InlineData("probe", "--split", "1|2|3|all")]
    [InlineData("probe", "--branch", "global|local")]
    [InlineData("probe", "--trainer", "lbfgs|sdca")]
    [InlineData("probe", "--knn-voting", "majority|weighted")]
    [InlineData("probe", "--input", "rgb|difference")]
    [InlineData("export-onnx", "--branch", "global|local")]
    [InlineData("export-onnx", "--layout", "clips|flat")]
    [InlineData("import-weights", "--preset", "small|tiny|paper")]
    [InlineData("show-views", "--preset", "small|tiny|paper")]
    [InlineData("show-views", "--regions", "random|slic|fh")]
    [InlineData("bench train", "--preset", "small|tiny|paper")]
    [InlineData("bench embed", "--preset", "small|tiny|paper")]
    [InlineData("bench probe", "--trainer", "lbfgs|sdca")]
    public void Choice_options_list_their_values_in_help_and_completion_and_refuse_others(string command, string option, string values)
    {
        string[] path = command.Split(' ');
        var (code, help, _) = CliRun.Invoke([.. path, "--help"]);
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains($"{option} <{values}>", help);

        Assert.Equal(values.Split('|').Order(StringComparer.Ordinal), Completions(path, option).Order(StringComparer.Ordinal));

        var (bad, _, err) = CliRun.Invoke([.. path, option, "sideways"]);
        Assert.Equal(ExitCodes.Usage, bad);
        string[] allowed = values.Split('|');
        Assert.Contains($"{option} must be {string.Join(", ", allowed[..^1])} or {allowed[^1]}; got 'sideways'.", err);
    }

    [Fact]
    public void Device_completes_cpu_and_cuda_and_shows_its_form()
    {
        Assert.Equal(["cpu", "cuda", "cuda:0"], Completions(["embed"], "--device"));
        Assert.Contains("--device <cpu|cuda[:N]>", CliRun.Invoke("probe", "--help").Out);
    }

    [Theory]
    [InlineData("embed", "--batch", "4", "--batch is now --batch-size.")]
    [InlineData("probe", "--batch", "4", "--batch is now --batch-size.")]
    [InlineData("bench embed", "--batch", "4", "--batch is now --batch-size.")]
    [InlineData("embed", "--videos", "v.csv", "--videos is now --data.")]
    [InlineData("probe", "--train-manifest", "a.csv", "--train-manifest is now --train-data.")]
    [InlineData("probe", "--test-manifest", "b.csv", "--test-manifest is now --test-data.")]
    public void Renamed_options_are_refused_with_the_new_name_and_hidden_from_help(string command, string option, string value, string message)
    {
        string[] path = command.Split(' ');
        var (code, _, err) = CliRun.Invoke([.. path, option, value]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain($"  {option} ", CliRun.Invoke([.. path, "--help"]).Out);
    }

    [Theory]
    [InlineData("probe", "r.json", "--json", "r.json")]
    [InlineData("bench decode", "r.json", "--json", "r.json")]
    [InlineData("bench train", "r.json", "--json", "r.json")]
    [InlineData("bench embed", "r.json", "--json", "r.json")]
    [InlineData("bench probe", "r.json", "--json", "r.json")]
    [InlineData("bench probe", "r.json", "--json=r.json")]
    [InlineData("bench probe", "out/r.json", "--n", "300", "--json", "out/r.json", "--seed", "1")]
    public void The_old_json_file_usage_is_a_usage_error_that_says_to_use_json_out(string command, string file, params string[] args)
    {
        // --json is a switch in every command that has it; before v0.1 probe and bench took a file after it.
        string[] path = command.Split(' ');
        var (code, stdout, err) = CliRun.Invoke([.. path, .. args]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(
            $"constcl {command}: '{file}' after --json: --json is a switch that prints the JSON on standard output; to write it to a file use --json-out FILE (here: --json-out {file}).",
            err);
        Assert.Equal("", stdout);   // no help page after the message
        Assert.False(File.Exists(file));

        // The switch itself is documented in help, beside --json-out FILE.
        string help = CliRun.Invoke([.. path, "--help"]).Out;
        Assert.Contains("  --json ", help);
        Assert.Contains("  --json-out <FILE> ", help);
    }

    [Theory]
    [InlineData("probe --splt 2", "constcl probe: Unrecognized command or argument '--splt'.", "constcl probe: did you mean --split (not --splt)?")]
    [InlineData("pretrain --synthetic", "constcl pretrain: Option '--out' is required.", null)]
    [InlineData("bench train --steps abc", "constcl bench train: --steps expects a whole number; got 'abc'.", null)]
    [InlineData("embed --batchsize 3 --out x", "constcl embed: Unrecognized command or argument '--batchsize'.", "constcl embed: did you mean --batch-size (not --batchsize)?")]
    [InlineData("frobnicate", "constcl: Unrecognized command or argument 'frobnicate'.", null)]
    public void Parse_errors_are_prefixed_lines_on_standard_error_and_nothing_on_standard_output(string commandLine, string error, string? suggestion)
    {
        var (code, stdout, err) = CliRun.Invoke(commandLine.Split(' '));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(error, lines);
        if (suggestion is not null)
        {
            Assert.Contains(suggestion, lines);
        }

        string name = error[..error.IndexOf(':', StringComparison.Ordinal)];
        Assert.All(lines, l => Assert.StartsWith(name + ": ", l));
        Assert.Equal($"{name}: '{name} --help' lists the options.", lines[^1]);
    }

    [Fact]
    public void A_command_group_alone_shows_its_sub_commands()
    {
        var (code, stdout, _) = CliRun.Invoke("bench");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("decode", stdout);
        Assert.Contains("train", stdout);
    }

    [Fact]
    public void Shared_options_have_one_name_and_one_type_in_every_command()
    {
        var root = Program.BuildRootCommand();
        var options = Commands(root).SelectMany(c => c.Options.Where(o => !o.Hidden).Select(o => (Command: c.Name, Option: o))).ToList();
        foreach (var name in new[] { "--batch-size", "--split", "--preset", "--branch", "--json", "--json-out", "--data", "--device", "--out" })
        {
            // int and int? are one type here: a nullable option takes its default from a preset.
            var types = options.Where(x => x.Option.Name == name).Select(x => Nullable.GetUnderlyingType(x.Option.ValueType) ?? x.Option.ValueType).Distinct().ToList();
            Assert.True(types.Count == 1 || (name == "--out" && types.All(t => t == typeof(string) || t == typeof(DirectoryInfo))),
                $"{name} has the types {string.Join(", ", types.Select(t => t.Name))}");
        }

        Assert.All(options.Where(x => x.Option.Name == "--json"), x => Assert.Equal(typeof(bool), x.Option.ValueType));
        Assert.All(options.Where(x => x.Option.Name == "--json-out"), x => Assert.Equal(typeof(string), x.Option.ValueType));
        Assert.DoesNotContain(options, x => x.Option.Name is "--batch" or "--videos" or "--train-manifest" or "--test-manifest");
    }

    /// <summary>What shell completion offers for the value of <paramref name="option"/> of the command at <paramref name="path"/>.</summary>
    private static string[] Completions(string[] path, string option)
    {
        Command command = Program.BuildRootCommand();
        foreach (var name in path)
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        return command.Options.Single(o => o.Name == option).GetCompletions(CompletionContext.Empty).Select(c => c.Label).ToArray();
    }

    private static IEnumerable<Command> Commands(Command command) => command.Subcommands.SelectMany(Commands).Prepend(command);
}

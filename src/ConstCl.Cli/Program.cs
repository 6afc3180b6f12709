using System.CommandLine;
using System.CommandLine.Invocation;
using ConstCl.Cli.Commands;
using ConstCl.Cli.Commands.Bench;
using ConstCl.Video;

namespace ConstCl.Cli;

/// <summary>Entry point of the <c>constcl</c> tool: one file per command, registered here.</summary>
public static class Program
{
    /// <summary>Runs the tool with the given arguments and returns the process exit code.</summary>
    public static int Main(string[] args)
    {
        // The library only raises its one decoder fallback notice; the tool prints it, as it always has.
        VideoDecoderSelector.Notice += line => Console.Error.WriteLine(line);
        return Run(args);
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/> as the process does (also used by tests): a parse error exits with
    /// <see cref="ExitCodes.Usage"/> (System.CommandLine's own error action reports it and returns 1).
    /// </summary>
    internal static int Run(string[] args, InvocationConfiguration? configuration = null) => Run(BuildRootCommand(), args, configuration);

    /// <summary><see cref="Run(string[], InvocationConfiguration?)"/> with a given root command (tests that hook a command).</summary>
    internal static int Run(Command root, string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = root.Parse(args);
        configuration ??= new InvocationConfiguration { ProcessTerminationTimeout = CancellableAction.GraceFor(parse) };
        if (parse.Action is ParseErrorAction && !IsGroupWithoutSubcommand(parse))
        {
            ReportParseErrors(parse, configuration.Error);
            return ExitCodes.Usage;
        }

        int code = parse.Invoke(configuration);
        return parse.Action is ParseErrorAction ? ExitCodes.Usage : code;
    }

    /// <summary>
    /// A command line that does not parse: one line <c>constcl COMMAND: message</c> per error on standard error, as every other
    /// error (README, "Exit codes and errors"), then where the options are listed; nothing on standard output. An old
    /// <c>--json FILE</c> first gets the line that says to use <c>--json-out FILE</c>.
    /// </summary>
    private static void ReportParseErrors(ParseResult parse, TextWriter error)
    {
        string name = CommandGuard.CommandName(parse);
        if (SharedOptions.OldJsonFileUsage(parse) is string hint)
        {
            error.WriteLine(hint);
        }

        foreach (var message in parse.Errors.Select(e => e.Message).Distinct(StringComparer.Ordinal))
        {
            error.WriteLine($"{name}: {message}");
        }

        foreach (var token in parse.UnmatchedTokens.Where(t => t.StartsWith("--", StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
        {
            var near = parse.CommandResult.Command.Options.Concat(parse.RootCommandResult.Command.Options.Where(o => o.Recursive))
                .Where(o => !o.Hidden && EditDistance(o.Name, token) <= 2).Select(o => o.Name).Distinct().ToList();
            if (near.Count > 0)
            {
                error.WriteLine($"{name}: did you mean {string.Join(" or ", near)} (not {token})?");
            }
        }

        error.WriteLine($"{name}: '{name} --help' lists the options.");
    }

    /// <summary>Levenshtein distance (insertions, deletions, substitutions), for the suggestion after an unknown option.</summary>
    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    /// <summary><c>constcl</c> or <c>constcl bench</c> alone: System.CommandLine's error action shows the help with the sub-commands.</summary>
    private static bool IsGroupWithoutSubcommand(ParseResult parse) =>
        parse.CommandResult.Command is { Action: null, Subcommands.Count: > 0 } && parse.UnmatchedTokens.Count == 0;

    /// <summary>The root command with every sub-command attached, readable number parsers and the error guard (also used by tests).</summary>
    internal static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("constcl: ConST-CL self-supervised video representation learning for .NET.");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(ScanCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExportOnnxCommand.Create());
        root.Subcommands.Add(ExportWeightsCommand.Create());
        root.Subcommands.Add(ImportWeightsCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(ProbeCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(ShowViewsCommand.Create());
        root.Options.Add(DecoderChoice.Create());
        return Harden(root);
    }

    /// <summary>Readable number parse errors and the error guard on every command of <paramref name="root"/>.</summary>
    internal static RootCommand Harden(RootCommand root)
    {
        CliParsing.UseReadableNumberParsers(root);
        CommandGuard.Apply(root);
        return root;
    }
}

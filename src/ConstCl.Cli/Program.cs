using System.CommandLine;
using System.CommandLine.Invocation;
using ConstCl.Cli.Commands;
using ConstCl.Cli.Commands.Bench;

namespace ConstCl.Cli;

/// <summary>Entry point of the <c>constcl</c> tool: one file per command, registered here.</summary>
public static class Program
{
    /// <summary>Runs the tool with the given arguments and returns the process exit code.</summary>
    public static int Main(string[] args) => Run(args);

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
        if (parse.Action is ParseErrorAction errorAction && SharedOptions.OldJsonFileUsage(parse) is string hint)
        {
            // "--json r.json" (the file name of before v0.1): say what to type rather than only "Unrecognized … 'r.json'" and the help.
            configuration.Error.WriteLine(hint);
            errorAction.ShowHelp = false;
            errorAction.ShowTypoCorrections = false;
        }

        int code = parse.Invoke(configuration);
        return parse.Action is ParseErrorAction ? ExitCodes.Usage : code;
    }

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

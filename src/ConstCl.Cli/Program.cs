using System.CommandLine;
using ConstCl.Cli.Commands;
using ConstCl.Cli.Commands.Bench;

namespace ConstCl.Cli;

/// <summary>Entry point of the <c>constcl</c> tool: one file per command, registered here.</summary>
public static class Program
{
    /// <summary>Runs the tool with the given arguments and returns the process exit code.</summary>
    public static int Main(string[] args) => BuildRootCommand().Parse(args).Invoke();

    /// <summary>The root command with every sub-command attached (also used by tests).</summary>
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
        return root;
    }
}

using System.CommandLine;

namespace ConstCl.Cli.Commands.Bench;

/// <summary><c>constcl bench …</c>: a parent for the benchmarks; each is a sibling sub-command (<c>decode</c>, <c>train</c>, <c>embed</c>).</summary>
internal static class BenchCommand
{
    /// <summary>Builds the command with its sub-commands.</summary>
    internal static Command Create()
    {
        var command = new Command("bench", "Measure the speed of parts of the pipeline on this machine.");
        command.Subcommands.Add(BenchDecodeCommand.Create());
        command.Subcommands.Add(BenchTrainCommand.Create());
        command.Subcommands.Add(BenchEmbedCommand.Create());
        command.Subcommands.Add(BenchProbeCommand.Create());
        return command;
    }
}

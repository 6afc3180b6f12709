using System.CommandLine;

namespace ConstCl.Cli.Commands.Bench;

/// <summary><c>constcl bench …</c>: a parent for the benchmarks; each is a sibling sub-command (<c>decode</c> now; train, embed, probe later).</summary>
internal static class BenchCommand
{
    /// <summary>Builds the command with its sub-commands.</summary>
    internal static Command Create()
    {
        var command = new Command("bench", "Measure the speed of parts of the pipeline on this machine.");
        command.Subcommands.Add(BenchDecodeCommand.Create());
<<<<<<< HEAD
        command.Subcommands.Add(BenchEmbedCommand.Create());
=======
        command.Subcommands.Add(BenchTrainCommand.Create());
>>>>>>> feat/mlnet
        return command;
    }
}

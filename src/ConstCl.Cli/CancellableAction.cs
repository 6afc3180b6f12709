using System.CommandLine;
using System.Runtime.CompilerServices;

namespace ConstCl.Cli;

/// <summary>
/// The one way a long-running command (<c>pretrain</c>, <c>embed</c>, <c>probe</c>, every <c>bench</c>) learns of Ctrl+C or
/// SIGTERM: its action runs on a worker thread with System.CommandLine's cancellation token, which the first signal cancels
/// (<see cref="Program.Run(Command, string[], System.CommandLine.InvocationConfiguration?)"/> sets the grace). The command stops
/// at its next safe point (between steps, batches, part files or timed passes) and either returns
/// <see cref="ExitCodes.Cancelled"/> itself, after saying where the finished work is, or throws
/// <see cref="OperationCanceledException"/>, which <see cref="CancellableCommandGuard"/> turns into the same exit code; a token
/// already cancelled when the command starts is exit code 130 before any work. A command that has not stopped when its grace
/// is over is left behind and the process exits with 130: every file the tool writes is written whole or not at all, so the
/// last checkpoint, the part files and the cache entries on disk stay usable.
/// </summary>
internal static class CancellableAction
{
    /// <summary>How long a command may take to stop after the signal unless it asks for more (the batch in flight, a report line).</summary>
    internal static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(30);

    private static readonly ConditionalWeakTable<Command, object> Graces = [];

    /// <summary>
    /// Makes <paramref name="action"/> (parse result and cancellation token → exit code) the action of <paramref name="command"/>.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="action">The work; it runs on its own thread, so it may block.</param>
    /// <param name="grace">How long the command may take to stop after the signal (default <see cref="DefaultGrace"/>).</param>
    internal static void Set(Command command, Func<ParseResult, CancellationToken, int> action, TimeSpan? grace = null)
    {
        command.SetAction((parse, cancellationToken) => Task.Factory.StartNew(
            () => action(parse, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        if (grace is TimeSpan g)
        {
            Graces.AddOrUpdate(command, g);
        }
    }

    /// <summary>The grace of the command <paramref name="parse"/> reached.</summary>
    internal static TimeSpan GraceFor(ParseResult parse) =>
        Graces.TryGetValue(parse.CommandResult.Command, out var grace) ? (TimeSpan)grace : DefaultGrace;
}

using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Text.Json;

namespace ConstCl.Cli;

/// <summary>
/// The one place where an exception escaping a command becomes a message and an exit code. Users see
/// <c>constcl COMMAND: message</c> (the message names the file for I/O failures), never a stack trace; set
/// <c>CONSTCL_STACK_TRACE=1</c> to get one for a bug report.
/// </summary>
internal sealed class CommandGuard(string name, SynchronousCommandLineAction inner) : SynchronousCommandLineAction
{
    /// <summary>The environment variable that adds the stack trace to an unexpected error.</summary>
    internal const string StackTraceVariable = "CONSTCL_STACK_TRACE";

    /// <summary>Wraps the action of <paramref name="command"/> and of every sub-command.</summary>
    internal static void Apply(Command command, string prefix = "constcl")
    {
        string name = command is RootCommand ? prefix : $"{prefix} {command.Name}";
        if (command.Action is SynchronousCommandLineAction action and not CommandGuard)
        {
            command.Action = new CommandGuard(name, action);
        }
        else if (command.Action is AsynchronousCommandLineAction asyncAction and not CancellableCommandGuard)
        {
            command.Action = new CancellableCommandGuard(name, asyncAction);
        }

        foreach (var sub in command.Subcommands)
        {
            Apply(sub, name);
        }
    }

    /// <inheritdoc />
    public override int Invoke(ParseResult parseResult)
    {
        try
        {
            using var decoder = DecoderChoice.Apply(parseResult);
            return inner.Invoke(parseResult);
        }
        catch (Exception e)
        {
            return Report(parseResult, name, e);
        }
    }

    /// <summary><c>constcl COMMAND …</c>, the prefix of the errors of the command a parse reached (<c>constcl</c> for the root).</summary>
    internal static string CommandName(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names.Prepend("constcl"));
    }

    /// <summary>Writes <c>NAME: message</c> for <paramref name="e"/> on the command's error writer and returns its exit code.</summary>
    internal static int Report(ParseResult parseResult, string name, Exception e)
    {
        var (code, message) = Describe(e);
        var error = parseResult.InvocationConfiguration.Error;
        error.WriteLine($"{name}: {message}");
        if (Environment.GetEnvironmentVariable(StackTraceVariable) == "1")
        {
            error.WriteLine(e.ToString());
        }

        return code;
    }

    /// <summary>The exit code and the one-line message for an exception.</summary>
    internal static (int Code, string Message) Describe(Exception e) => e switch
    {
        CommandException c => (c.ExitCode, c.Message),
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled; nothing is half-written (files are written whole or not at all), and what a rerun reuses (checkpoints, embedding parts, the probe's cache) is kept."),
        OutOfMemoryException => (ExitCodes.Failure, "out of memory; lower --batch-size, --frames or --size and run again."),
        // .NET's I/O messages name the path ("Access to the path '…' is denied.", "No space left on device : '…'").
        UnauthorizedAccessException => (ExitCodes.Failure, $"permission denied: {e.Message}"),
        IOException => (ExitCodes.Failure, e.Message),
        JsonException or FormatException or InvalidDataException or ArgumentException or InvalidOperationException or NotSupportedException
            => (ExitCodes.Failure, e.Message),
        _ => (ExitCodes.Failure, $"unexpected error ({e.GetType().Name}): {e.Message} (set {StackTraceVariable}=1 for the stack trace)"),
    };
}

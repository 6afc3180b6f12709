namespace ConstCl.Cli;

/// <summary>
/// A failure a command reports as one line and an exit code (no stack trace): thrown where the problem is found, printed by
/// <see cref="CommandGuard"/>.
/// </summary>
internal sealed class CommandException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;
}

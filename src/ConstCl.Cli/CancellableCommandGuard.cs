using System.CommandLine;
using System.CommandLine.Invocation;

namespace ConstCl.Cli;

/// <summary>
/// <see cref="CommandGuard"/> for a command whose action takes System.CommandLine's cancellation token (Ctrl+C or SIGTERM
/// cancels it; <c>probe</c>): the same one-line errors and exit codes, and an <see cref="OperationCanceledException"/> out
/// of the action, or a token already cancelled when it starts, is exit code 130 (<see cref="ExitCodes.Cancelled"/>).
/// </summary>
internal sealed class CancellableCommandGuard(string name, AsynchronousCommandLineAction inner) : AsynchronousCommandLineAction
{
    /// <inheritdoc />
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await inner.InvokeAsync(parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return CommandGuard.Report(parseResult, name, e);
        }
    }
}

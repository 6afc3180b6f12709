using System.CommandLine;
using System.CommandLine.Invocation;

namespace ConstCl.Cli;

/// <summary>
/// <see cref="CommandGuard"/> for a command whose action takes System.CommandLine's cancellation token (Ctrl+C or SIGTERM
/// cancels it; <see cref="CancellableAction"/>): the same one-line errors, exit codes and <c>--decoder</c> choice, and an
/// <see cref="OperationCanceledException"/> out of the action, or a token already cancelled when it starts, is exit code 130
/// (<see cref="ExitCodes.Cancelled"/>).
/// </summary>
internal sealed class CancellableCommandGuard(string name, AsynchronousCommandLineAction inner) : AsynchronousCommandLineAction
{
    /// <inheritdoc />
    public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var decoder = DecoderChoice.Apply(parseResult);
            return await inner.InvokeAsync(parseResult, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            return CommandGuard.Report(parseResult, name, e);
        }
    }
}

using System.Text;

namespace ConstCl.Cli.Tests;

/// <summary>
/// A string writer that cancels a token source when a written line contains a trigger text: Ctrl+C at a known point of a
/// run, without a signal (a null trigger never cancels).
/// </summary>
internal sealed class CancellingWriter(CancellationTokenSource cts, string? trigger) : StringWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (trigger is not null && value?.Contains(trigger, StringComparison.Ordinal) == true)
        {
            cts.Cancel();
        }
    }
}

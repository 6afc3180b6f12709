using System.CommandLine;

namespace ConstCl.Cli.Commands;

/// <summary>
/// A hidden option under a name the tool no longer uses (<c>--batch</c>, <c>--videos</c>, <c>--train-manifest</c> …): giving
/// it is a parse error (exit code 2) that names the option to use instead, rather than
/// System.CommandLine's "Unrecognized command or argument". It never appears in help or completion.
/// </summary>
internal static class RenamedOption
{
    /// <summary>The hidden option <paramref name="oldName"/>, which fails with "<c>OLD is now NEW.</c>" plus <paramref name="note"/>.</summary>
    /// <param name="oldName">The name users may still type, e.g. <c>--batch</c>.</param>
    /// <param name="newName">What to type instead, e.g. <c>--batch-size</c>.</param>
    /// <param name="note">An optional sentence appended to the error (what changed, where it is documented).</param>
    internal static Option<string?> Create(string oldName, string newName, string? note = null)
    {
        // Zero or one value, so that both "--batch 4" and a bare "--batch" reach the message below.
        var option = new Option<string?>(oldName) { Hidden = true, Arity = ArgumentArity.ZeroOrOne };
        option.Validators.Add(result => result.AddError($"{oldName} is now {newName}.{(note is null ? "" : " " + note)}"));
        return option;
    }
}

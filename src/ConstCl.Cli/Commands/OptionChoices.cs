using System.CommandLine;
using System.CommandLine.Parsing;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Declares the allowed values of a choice option once, so that help (<c>--branch &lt;global|local&gt;</c>, in the order
/// given), shell completion and the parse error (<c>--branch must be global or local; got 'x'.</c>, exit code 2) all list
/// the same values. Values are compared exactly (they are lower case throughout the tool).
/// </summary>
internal static class OptionChoices
{
    /// <summary>Restricts <paramref name="option"/> to <paramref name="values"/> and lists them in help and completion.</summary>
    /// <typeparam name="T">The option's value type (a string, or a number whose allowed values are few).</typeparam>
    /// <param name="option">The option to restrict.</param>
    /// <param name="values">The allowed values as typed on the command line.</param>
    /// <returns><paramref name="option"/>, for chaining.</returns>
    internal static Option<T> OneOf<T>(this Option<T> option, params string[] values)
    {
        if (values.Length == 0)
        {
            throw new ArgumentException("A choice option needs at least one allowed value.", nameof(values));
        }

        option.HelpName = string.Join('|', values);
        option.CompletionSources.Add(values);
        option.Validators.Add(result => Check(result, option.Name, values));
        return option;
    }

    /// <summary>"a", "a or b", "a, b or c": the allowed values as an error message lists them.</summary>
    internal static string Describe(IReadOnlyList<string> values) =>
        values.Count == 1 ? values[0] : string.Join(", ", values.Take(values.Count - 1)) + " or " + values[^1];

    private static void Check(OptionResult result, string name, string[] values)
    {
        foreach (var token in result.Tokens)
        {
            if (Array.IndexOf(values, token.Value) < 0)
            {
                result.AddError($"{name} must be {Describe(values)}; got '{token.Value}'.");
                return;
            }
        }
    }
}

using System.CommandLine;
using ConstCl.IO;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Where the result of a command that has both <c>--json</c> and <c>--json-out FILE</c> goes (<c>probe</c>, every
/// <c>bench</c>): by default the text report on standard output; <c>--json</c> puts the JSON document on standard output
/// instead, and nothing else (the text report moves to standard error); <c>--json-out FILE</c> also writes the same
/// document to FILE, atomically. Both may be given.
/// </summary>
internal sealed class ResultOutput
{
    private ResultOutput(Option<bool> json, Option<string?> jsonOut)
    {
        Json = json;
        JsonOut = jsonOut;
    }

    /// <summary>The <c>--json</c> switch.</summary>
    internal Option<bool> Json { get; }

    /// <summary>The <c>--json-out FILE</c> option.</summary>
    internal Option<string?> JsonOut { get; }

    /// <summary>Both options, describing the JSON document as <paramref name="what"/>.</summary>
    internal static ResultOutput Create(string what) => new(SharedOptions.Json(what), SharedOptions.JsonOut(what));

    /// <summary>Whether <c>--json</c> was given.</summary>
    internal bool ToStandardOutput(ParseResult parse) => parse.GetValue(Json);

    /// <summary>
    /// The writer of the text report: standard output, or standard error under <c>--json</c> (standard output then holds
    /// the JSON document only).
    /// </summary>
    internal TextWriter Text(ParseResult parse) =>
        ToStandardOutput(parse) ? parse.InvocationConfiguration.Error : parse.InvocationConfiguration.Output;

    /// <summary>Checks that the folder of <c>--json-out FILE</c> can be written (exit code 1 naming it), before long work starts.</summary>
    internal void EnsureWritable(ParseResult parse)
    {
        if (parse.GetValue(JsonOut) is string path)
        {
            OutputLocation.EnsureFileWritable(path, "--json-out");
        }
    }

    /// <summary>Writes <paramref name="document"/> to FILE of <c>--json-out</c> (atomically) and, under <c>--json</c>, to standard output.</summary>
    internal void Write(ParseResult parse, string document)
    {
        if (parse.GetValue(JsonOut) is string path)
        {
            string full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            AtomicFile.WriteAllText(full, document);
        }

        if (ToStandardOutput(parse))
        {
            parse.InvocationConfiguration.Output.WriteLine(document);
        }
    }
}

using System.CommandLine;
using System.CommandLine.Parsing;

namespace ConstCl.Cli.Commands;

/// <summary>
/// The options several commands share, declared once so that they have one name, one type, one set of allowed values and
/// one meaning across the tool (README, "The constcl tool"):
/// <c>--batch-size</c>, <c>--preset</c>, <c>--branch</c>, <c>--split</c>, <c>--json</c> and <c>--json-out</c>.
/// </summary>
internal static class SharedOptions
{
    /// <summary>The preset names, in the order help lists them.</summary>
    internal static readonly string[] Presets = ["small", "tiny", "paper"];

    /// <summary><c>--batch-size N</c> (1..<see cref="OptionBounds.MaxBatch"/>): what one forward pass or step holds, as <paramref name="description"/> says.</summary>
    internal static Option<int> BatchSize(int defaultValue, string description) =>
        new Option<int>("--batch-size") { Description = description, DefaultValueFactory = _ => defaultValue }.Within(1, OptionBounds.MaxBatch);

    /// <summary>The hidden <c>--batch</c>, which names <c>--batch-size</c> (renamed in v0.1 so that every command says the same).</summary>
    internal static Option<string?> RenamedBatch() => RenamedOption.Create("--batch", "--batch-size");

    /// <summary><c>--preset small|tiny|paper</c>.</summary>
    internal static Option<string> Preset(string defaultValue, string description) =>
        new Option<string>("--preset") { Description = description, DefaultValueFactory = _ => defaultValue }.OneOf(Presets);

    /// <summary><c>--preset small|tiny|paper</c> without a default (the value comes from elsewhere when it is not given).</summary>
    internal static Option<string?> OptionalPreset(string description) =>
        new Option<string?>("--preset") { Description = description }.OneOf(Presets);

    /// <summary><c>--branch global|local</c>: which res5 gives the embedding.</summary>
    internal static Option<string> Branch(string description) =>
        new Option<string>("--branch") { Description = description, DefaultValueFactory = _ => "global" }.OneOf("global", "local");

    /// <summary><c>--stage res2|res3|res4|res5</c>: which stage's output the embedding pools (<c>BackboneStage</c>; default res5).</summary>
    internal static Option<string> Stage() =>
        new Option<string>("--stage")
        {
            Description = "Which backbone stage's output the embedding pools: res5 (default, the branch's last stage) or an earlier one (narrower; shaped less by the pre-training objective, so it can keep appearance res5 discards).",
            DefaultValueFactory = _ => "res5",
        }.OneOf("res2", "res3", "res4", "res5");

    /// <summary>
    /// <c>--resize area|linear</c>: how the short side of a video reaches S (<c>EvaluationClipSpec.Resize</c>): area (default,
    /// decoded to short side S with an area filter, no aliasing) or linear (CVRL's bilinear resize of the full frame).
    /// </summary>
    internal static Option<string> Resize() =>
        new Option<string>("--resize")
        {
            Description = "How the short side reaches S: area (decode to S with an area filter, no aliasing) or linear (bilinear from the full frame, CVRL's protocol).",
            DefaultValueFactory = _ => "area",
        }.OneOf("area", "linear");

    /// <summary>Reads <see cref="Resize"/>'s value.</summary>
    internal static ConstCl.Video.FrameResizeMode ParseResize(string value) =>
        value == "linear" ? ConstCl.Video.FrameResizeMode.Linear : ConstCl.Video.FrameResizeMode.Area;

    /// <summary>
    /// <c>--split 1|2|3</c> (or <c>1|2|3|all</c> where <paramref name="allowAll"/>): an official UCF101/HMDB51 split, a string
    /// in every command so that the values, help and errors are the same.
    /// </summary>
    internal static Option<string> Split(bool allowAll, string description)
    {
        var option = new Option<string>("--split") { Description = description, DefaultValueFactory = _ => "1" };
        return allowAll ? option.OneOf("1", "2", "3", "all") : option.OneOf("1", "2", "3");
    }

    /// <summary>
    /// <c>--json</c>: a switch that prints the machine-readable result on standard output, and nothing else there (a text
    /// report moves to standard error, or is left out where it says no more than the JSON; progress stays on standard error).
    /// </summary>
    internal static Option<bool> Json(string what) =>
        new("--json") { Description = $"Print {what} as JSON on standard output, and nothing else there (text and progress go to standard error)." };

    /// <summary><c>--json-out FILE</c>: write the machine-readable result to FILE (atomically), besides the text on standard output.</summary>
    internal static Option<string?> JsonOut(string what) =>
        new("--json-out") { Description = $"Also write {what} as JSON to this file.", HelpName = "FILE" };

    /// <summary>
    /// The message for the old <c>--json FILE</c> (before v0.1 <c>probe</c> and <c>bench</c> wrote their JSON to a file named
    /// after <c>--json</c>): the switch leaves the file name over as an unexpected argument, which System.CommandLine reports as
    /// "Unrecognized command or argument". Null when the parse shows no such use.
    /// </summary>
    internal static string? OldJsonFileUsage(ParseResult parse)
    {
        if (!parse.CommandResult.Command.Options.Any(o => o.Name == "--json" && o.ValueType == typeof(bool))
            || !parse.CommandResult.Command.Options.Any(o => o.Name == "--json-out"))
        {
            return null;
        }

        var tokens = parse.Tokens;
        for (int i = 0; i + 1 < tokens.Count; i++)
        {
            var value = tokens[i + 1].Value;
            if (tokens[i].Type == TokenType.Option && tokens[i].Value == "--json" && tokens[i + 1].Type == TokenType.Argument
                && !bool.TryParse(value, out _) && parse.UnmatchedTokens.Contains(value))
            {
                return $"{CommandGuard.CommandName(parse)}: '{value}' after --json: --json is a switch that prints the JSON on standard output; "
                    + $"to write it to a file use --json-out FILE (here: --json-out {value}).";
            }
        }

        return null;
    }
}

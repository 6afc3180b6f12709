using System.Text;
using System.Text.RegularExpressions;

namespace ConstCl.Cli.Tests;

/// <summary>
/// The <c>constcl</c> command lines a Markdown page shows: in fenced code blocks (no language, <c>bash</c>, <c>sh</c>,
/// <c>shell</c>, <c>console</c>), a line that starts with <c>constcl </c> or <c>dotnet run --project src/ConstCl.Cli … -- </c>
/// (after an optional <c>$ </c> prompt or a preceding <c>&amp;&amp;</c>, <c>|</c> or <c>;</c>), joined across trailing
/// backslashes, cut at an unquoted <c>#</c> comment or shell operator, and split into arguments as a POSIX shell would
/// (quotes, backslash escapes; no expansion). A line whose first argument ends with ':' is the tool's output, not a command.
/// Inline code spans that start with <c>constcl </c> count too: with <see cref="MinimumInlineOptions"/> options or more
/// they are whole commands, with fewer they name a command or an option in prose (their option names are checked). Lines and spans holding a usage synopsis (<c>[--opt X]</c>,
/// <c>(--a | --b)</c>, <c>A|B</c>, <c>…</c>, placeholder values such as <c>DIR</c> or <c>N</c>) are returned as synopses, whose option names are checked rather than parsed.
/// </summary>
internal static class MarkdownCommands
{
    /// <summary>The project file path that <c>dotnet run --project</c> names for the tool.</summary>
    private const string CliProject = "src/ConstCl.Cli";

    /// <summary>Options an inline span needs to be parsed as a whole command (fewer: its option names are checked).</summary>
    internal const int MinimumInlineOptions = 3;

    private static readonly string[] ShellLanguages = ["", "bash", "sh", "shell", "console"];

    private static readonly Regex InlineCommand = new("`(constcl [^`]+)`", RegexOptions.Compiled);

    /// <summary>
    /// Every command in <paramref name="markdown"/>: its line number, its text, the arguments after <c>constcl</c>, and whether
    /// it is a synopsis (checked for option names only).
    /// </summary>
    internal static IEnumerable<DocumentedCommand> Find(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        bool inBlock = false, shell = false;
        var pending = new StringBuilder();
        int start = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inBlock = !inBlock;
                shell = inBlock && ShellLanguages.Contains(line[3..].Trim());
                pending.Clear();
                continue;
            }

            if (!inBlock)
            {
                foreach (Match m in InlineCommand.Matches(lines[i]))
                {
                    if (Arguments(m.Groups[1].Value) is [_, var first, ..] args && !first.EndsWith(':') && first.Any(char.IsLower))
                    {
                        // A span with a few options is a command to copy; one naming a command or an option is prose.
                        bool command = !IsSynopsisText(m.Groups[1].Value) && args.Count(a => a.StartsWith("--", StringComparison.Ordinal)) >= MinimumInlineOptions;
                        yield return new DocumentedCommand(i + 1, m.Groups[1].Value, args[1..], IsSynopsis: !command);
                    }
                }

                continue;
            }

            if (!shell)
            {
                continue;
            }

            if (pending.Length == 0)
            {
                start = i + 1;
            }

            if (line.EndsWith('\\'))
            {
                pending.Append(line[..^1]).Append(' ');
                continue;
            }

            string text = pending.Append(line).ToString();
            pending.Clear();
            if (text.StartsWith("$ ", StringComparison.Ordinal))
            {
                text = text[2..];
            }

            foreach (var command in Commands(text))
            {
                if (command is [_, var first, ..] && first.EndsWith(':'))
                {
                    continue;   // "constcl pretrain: …" is output shown in the block
                }

                yield return new DocumentedCommand(start, text, command[1..], IsSynopsisText(text));
            }
        }
    }

    /// <summary>A usage synopsis rather than a command: optional parts, alternatives or an ellipsis.</summary>
    private static bool IsSynopsisText(string text) =>
        Regex.IsMatch(text, @"\[-|\(-|[A-Za-z0-9\]]\\?\|[A-Za-z\[]|\.\.\.|…")
        || Regex.IsMatch(text, @"(?<=\s)[A-Z][A-Z0-9_]*(\.[a-z]+)?(?=\s|$)");   // a placeholder value: DIR, N, FILE.png

    /// <summary>The <c>constcl</c> invocations on one shell line, each as its argument list starting with "constcl".</summary>
    private static IEnumerable<string[]> Commands(string line)
    {
        foreach (var words in SplitOnOperators(line))
        {
            var w = words.SkipWhile(x => Regex.IsMatch(x, "^[A-Z_][A-Z0-9_]*=")).ToList();   // VAR=value prefixes
            if (w is ["constcl", ..])
            {
                yield return [.. w];
            }
            else if (w is ["dotnet", "run", ..] && w.IndexOf("--") is int dashes and > 0
                && w.Take(dashes).Any(x => x.TrimEnd('/') == CliProject || x.TrimEnd('/').EndsWith("/" + CliProject, StringComparison.Ordinal)))
            {
                yield return ["constcl", .. w.Skip(dashes + 1)];
            }
            else if (w is ["dotnet", "run", ..] && w.Any(x => x.TrimEnd('/') == CliProject) && !w.Contains("--"))
            {
                yield return ["constcl"];
            }
        }
    }

    /// <summary>Shell words of <paramref name="text"/>, without operators and comments (used for inline spans).</summary>
    private static string[] Arguments(string text) => SplitOnOperators(text).FirstOrDefault() ?? [];

    /// <summary>POSIX-like word splitting: quotes and backslashes, an unquoted '#' at a word start ends the line, and the
    /// operators <c>&amp;&amp;</c>, <c>||</c>, <c>|</c>, <c>;</c> separate commands.</summary>
    private static List<string[]> SplitOnOperators(string line)
    {
        var commands = new List<string[]>();
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }

        void EndCommand()
        {
            EndWord();
            if (words.Count > 0)
            {
                commands.Add([.. words]);
                words.Clear();
            }
        }

        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < line.Length)
                {
                    word.Append(line[++i]);
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '\\' when i + 1 < line.Length:
                    word.Append(line[++i]);
                    inWord = true;
                    break;
                case ' ' or '\t':
                    EndWord();
                    break;
                case '#' when !inWord:
                    EndCommand();
                    return commands;
                case '|' or ';' or '&':
                    EndCommand();
                    while (i + 1 < line.Length && line[i + 1] is '|' or '&')
                    {
                        i++;
                    }

                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        EndCommand();
        return commands;
    }
}

/// <summary>A <c>constcl</c> command shown in a Markdown page.</summary>
/// <param name="Line">The 1-based line where it starts.</param>
/// <param name="Text">The text as shown (continuations joined).</param>
/// <param name="Arguments">The arguments after <c>constcl</c>.</param>
/// <param name="IsSynopsis">A usage synopsis with placeholders and alternatives: its option names are checked, it is not parsed.</param>
internal sealed record DocumentedCommand(int Line, string Text, string[] Arguments, bool IsSynopsis);

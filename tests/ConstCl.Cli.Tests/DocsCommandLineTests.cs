using System.CommandLine;
using System.Text.RegularExpressions;

namespace ConstCl.Cli.Tests;

/// <summary>
/// Every <c>constcl …</c> (and <c>dotnet run --project src/ConstCl.Cli … -- …</c>) command shown in README.md,
/// PERFORMANCE.md and docs/*.md parses as written with the real parser (nothing is run): no unknown or renamed option, no
/// missing required option, no value outside its allowed set or range; inline <c>`constcl …`</c> spans included. Usage
/// synopses (<c>[--opt X]</c>, <c>A|B</c>, <c>…</c>) are checked for their option names: each must be an option of that command.
/// </summary>
public sealed class DocsCommandLineTests
{
    [Fact]
    public void Every_documented_command_line_parses_as_written()
    {
        var failures = new List<string>();
        int parsed = 0, synopses = 0;
        foreach (var (file, command) in DocumentedCommands())
        {
            if (command.IsSynopsis)
            {
                synopses++;
                failures.AddRange(CheckSynopsis(command).Select(f => $"{file}:{command.Line}: {command.Text}\n    {f}"));
                continue;
            }

            parsed++;
            var result = Program.BuildRootCommand().Parse(command.Arguments);
            if (result.Errors.Count > 0)
            {
                failures.Add($"{file}:{command.Line}: {command.Text}\n    {string.Join("\n    ", result.Errors.Select(e => e.Message))}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} documented command line(s) do not parse:\n" + string.Join("\n", failures));
        Assert.True(parsed >= 30, $"only {parsed} runnable commands found: is the extraction broken?");
        Assert.True(synopses >= 10, $"only {synopses} synopses found: is the extraction broken?");
    }

    [Theory]
    [InlineData("```bash\nconstcl pretrain --synthetic --steps 2   # a comment\n```", false)]
    [InlineData("```\nconstcl probe --random-init \\\n    --ucf101 /d --split all\n```", false)]
    [InlineData("```\ndotnet run --project src/ConstCl.Cli -c Release -- info --json\n```", false)]
    [InlineData("```\nconstcl embed [--batch-size B] --out FILE.parquet|FILE.idv\n```", true)]
    [InlineData("See `constcl info --preset small|tiny|paper [--json]`.", true)]
    [InlineData("See `constcl info --preset paper --json`.", true)]
    [InlineData("Run `constcl pretrain --synthetic --steps 2 --out run`.", false)]
    [InlineData("| `constcl embed --data DIR\\|MANIFEST` | table |", true)]
    public void The_extraction_finds_commands_synopses_and_continuations(string markdown, bool synopsis)
    {
        var found = Assert.Single(MarkdownCommands.Find(markdown));
        Assert.Equal(synopsis, found.IsSynopsis);
        Assert.NotEqual("constcl", found.Arguments.FirstOrDefault());
    }

    [Fact]
    public void Output_lines_comments_and_other_programs_are_not_taken_for_commands()
    {
        const string markdown = "```\nconstcl pretrain: Device cuda:0 was asked for\ndotnet run --project examples/QuickStart -c Release\n# constcl info\n```\n```csharp\nconstcl info --bogus\n```";
        Assert.Empty(MarkdownCommands.Find(markdown));
    }

    [Fact]
    public void A_stale_option_in_a_documented_command_is_caught()
    {
        var command = Assert.Single(MarkdownCommands.Find("```\nconstcl pretrain --synthetic --steps 2\n```"));
        Assert.Contains(Program.BuildRootCommand().Parse(command.Arguments).Errors, e => e.Message.Contains("--out", StringComparison.Ordinal));
        var synopsis = Assert.Single(MarkdownCommands.Find("`constcl embed --videos DIR --batch B`"));
        Assert.Equal(2, CheckSynopsis(synopsis).Count());
    }

    /// <summary>The option names of a synopsis that its command does not have (hidden, renamed ones included).</summary>
    private static IEnumerable<string> CheckSynopsis(DocumentedCommand synopsis)
    {
        Command command = Program.BuildRootCommand();
        var inherited = new List<Option>();   // recursive options of the ancestors (--decoder) apply to every subcommand
        foreach (var word in synopsis.Arguments)
        {
            if (command.Subcommands.FirstOrDefault(c => c.Name == word) is { } sub)
            {
                inherited.AddRange(command.Options.Where(o => o.Recursive));
                command = sub;
            }
            else
            {
                break;
            }
        }

        var names = command.Options.Concat(inherited).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(synopsis.Text, @"(?<![\w-])--[a-z][a-z0-9-]*"))
        {
            if (!names.Contains(m.Value))
            {
                yield return $"'constcl {CommandPath(command)}' has no option {m.Value}";
            }
        }
    }

    private static string CommandPath(Command command) => command.Parents.OfType<Command>().Any()
        ? string.Join(' ', command.Parents.OfType<Command>().Where(c => c is not RootCommand).Select(c => c.Name).Append(command.Name))
        : "";

    private static IEnumerable<(string File, DocumentedCommand Command)> DocumentedCommands()
    {
        string root = FindRepoRoot();
        var files = new[] { "README.md", "PERFORMANCE.md" }.Select(f => Path.Combine(root, f))
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            foreach (var command in MarkdownCommands.Find(File.ReadAllText(file)))
            {
                yield return (Path.GetRelativePath(root, file), command);
            }
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConstCl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ConstCl.sln not found above the test output folder.");
    }
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ConstCl.Core.Tests;

/// <summary>
/// The namespaces of ConstCl.Core (one per top-level folder, <c>ConstCl.&lt;Folder&gt;</c>) form an acyclic graph (issue 12,
/// "one idea, one place"): when two folders need each other, one idea is split across them. An edge is a
/// <c>using ConstCl.X;</c> or a qualified <c>ConstCl.X.</c> reference in code; comments, XML docs and strings are not
/// code and are ignored. (A name qualified from an enclosing namespace, <c>X.Type</c> without <c>ConstCl.</c>, is not
/// seen; the code base does not write them.)
/// </summary>
public class NamespaceGraphTests
{
    [Fact]
    public void TheFoldersOfConstClCoreDependOnEachOtherWithoutCycles()
    {
        var core = Path.Combine(FindRepoRoot(), "src", "ConstCl.Core");
        var folders = Directory.EnumerateDirectories(core)
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj") && Directory.EnumerateFiles(Path.Combine(core, name!), "*.cs", SearchOption.AllDirectories).Any())
            .Select(name => name!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Training", folders);
        var sources = folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories)
            .Select(file => (Folder: folder, File: Path.GetRelativePath(core, file), Text: File.ReadAllText(file))));

        var edges = Edges(sources, folders);
        Assert.Contains("Checkpoints", edges["Training"].Keys);   // the scan sees code references

        var cycle = FindCycle(edges);
        Assert.True(cycle is null, cycle is null ? "" : "The namespaces of ConstCl.Core form a cycle: " + Describe(cycle, edges));
    }

    [Fact]
    public void TheScanFindsACycleThroughUsingsAndQualifiedNamesButNotThroughCommentsOrStrings()
    {
        var folders = new HashSet<string>(StringComparer.Ordinal) { "A", "B", "C" };
        var sources = new[]
        {
            ("A", "A/X.cs", "using ConstCl.B;\nnamespace ConstCl.A;\n/// <see cref=\"ConstCl.C.Z\"/>\nclass X { }"),
            ("B", "B/Y.cs", "namespace ConstCl.B;\nclass Y { global::ConstCl.C.Z? z; string s = \"ConstCl.A.X\"; // ConstCl.A.X\n}"),
            ("C", "C/Z.cs", "namespace ConstCl.C;\nclass Z { object o = new ConstCl.A.X(); }"),
        };

        var edges = Edges(sources, folders);
        Assert.Equal(["B"], edges["A"].Keys);
        Assert.Equal(["C"], edges["B"].Keys);
        Assert.Equal(["A"], edges["C"].Keys);
        var cycle = FindCycle(edges);
        Assert.NotNull(cycle);
        Assert.Equal("A → B (A/X.cs) → C (B/Y.cs) → A (C/Z.cs)", Describe(cycle, edges));
    }

    /// <summary>For each folder, the other folders its code references, each with the first file (in path order) that does.</summary>
    private static Dictionary<string, SortedDictionary<string, string>> Edges(IEnumerable<(string Folder, string File, string Text)> sources, IReadOnlySet<string> folders)
    {
        var edges = folders.ToDictionary(f => f, _ => new SortedDictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (folder, file, text) in sources.OrderBy(s => s.File, StringComparer.Ordinal))
        {
            // Tokens only: comments and XML docs are trivia, string contents are literal tokens.
            var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().ToList();
            for (var i = 0; i + 2 < tokens.Count; i++)
            {
                if (tokens[i].IsKind(SyntaxKind.IdentifierToken) && tokens[i].ValueText == "ConstCl"
                    && tokens[i + 1].IsKind(SyntaxKind.DotToken)
                    && tokens[i + 2].IsKind(SyntaxKind.IdentifierToken)
                    && tokens[i + 2].ValueText is var target && target != folder && folders.Contains(target))
                {
                    edges[folder].TryAdd(target, file);
                }
            }
        }

        return edges;
    }

    /// <summary>A cycle as its list of folders (first repeated at the end), or null when the graph is acyclic.</summary>
    private static List<string>? FindCycle(Dictionary<string, SortedDictionary<string, string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);   // absent: unseen, 1: on the path, 2: done
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges[node].Keys)
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static string Describe(List<string> cycle, Dictionary<string, SortedDictionary<string, string>> edges) =>
        cycle[0] + string.Concat(cycle.Zip(cycle.Skip(1)).Select(e => $" → {e.Second} ({edges[e.First][e.Second]})"));

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

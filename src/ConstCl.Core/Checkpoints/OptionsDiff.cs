using System.Text.Json.Nodes;

namespace ConstCl.Checkpoints;

/// <summary>Compares two JSON option documents field by field (property paths), so nested option records diff too.</summary>
public static class OptionsDiff
{
    private const string Absent = "(absent)";

    /// <summary>The fields whose values differ, in document order.</summary>
    /// <param name="savedJson">The options the checkpoint was written with.</param>
    /// <param name="currentJson">The options of the current run.</param>
    /// <param name="ignoredPaths">Paths that may differ (for example logging cadence).</param>
    public static IReadOnlyList<OptionsDifference> Compare(string savedJson, string currentJson, IReadOnlySet<string>? ignoredPaths = null)
    {
        ArgumentNullException.ThrowIfNull(savedJson);
        ArgumentNullException.ThrowIfNull(currentJson);
        var result = new List<OptionsDifference>();
        Walk("", JsonNode.Parse(savedJson), JsonNode.Parse(currentJson), result, ignoredPaths ?? new HashSet<string>());
        return result;
    }

    private static void Walk(string path, JsonNode? saved, JsonNode? current, List<OptionsDifference> result, IReadOnlySet<string> ignored)
    {
        if (path.Length > 0 && ignored.Contains(path))
        {
            return;
        }

        if (saved is JsonObject so && current is JsonObject co)
        {
            var keys = so.Select(p => p.Key).Concat(co.Select(p => p.Key).Where(k => !so.ContainsKey(k)));
            foreach (var key in keys)
            {
                var childPath = path.Length == 0 ? key : path + "." + key;
                var inSaved = so.TryGetPropertyValue(key, out var sv);
                var inCurrent = co.TryGetPropertyValue(key, out var cv);
                if (inSaved && inCurrent)
                {
                    Walk(childPath, sv, cv, result, ignored);
                }
                else if (!ignored.Contains(childPath))
                {
                    result.Add(new OptionsDifference(childPath, inSaved ? Render(sv) : Absent, inCurrent ? Render(cv) : Absent));
                }
            }

            return;
        }

        if (saved is JsonArray sa && current is JsonArray ca && sa.Count == ca.Count)
        {
            for (var i = 0; i < sa.Count; i++)
            {
                Walk($"{path}[{i}]", sa[i], ca[i], result, ignored);
            }

            return;
        }

        if (!JsonNode.DeepEquals(saved, current))
        {
            result.Add(new OptionsDifference(path.Length == 0 ? "(root)" : path, Render(saved), Render(current)));
        }
    }

    private static string Render(JsonNode? node) => node is null ? "null" : node.ToJsonString();
}

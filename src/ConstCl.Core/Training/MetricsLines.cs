using System.Text.Json;

namespace ConstCl.Training;

/// <summary>
/// The one reading loop over a <c>metrics.jsonl</c> file (<see cref="MetricsLogger"/>), shared by
/// <see cref="MetricsHistory.Read"/> and the logger's truncation on resume so both tolerate the same lines: blank lines,
/// a line cut off by a crash (not JSON), and JSON that is not an object with an integer <c>step</c> are skipped.
/// </summary>
internal static class MetricsLines
{
    /// <summary>
    /// Each usable line of <paramref name="path"/> in file order, with its step and parsed object. <c>Fields</c> is valid
    /// only until the enumeration moves on (its document is disposed then).
    /// </summary>
    public static IEnumerable<(string Line, long Step, JsonElement Fields)> Read(string path)
    {
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException)
            {
                continue;   // a line cut off by a crash
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("step", out var s) && s.TryGetInt64(out long step))
                {
                    yield return (line, step, root);
                }
            }
        }
    }
}

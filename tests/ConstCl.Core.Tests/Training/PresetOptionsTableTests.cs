using System.Globalization;
using System.Reflection;
using ConstCl.Training;

namespace ConstCl.Core.Tests.Training;

/// <summary>
/// docs/training.md's options table states each preset's numbers; it said 1 200 steps for <c>Tiny</c> for two changes of
/// the preset's length. The numeric rows are checked against the presets here so a change to one is a change to both.
/// </summary>
public class PresetOptionsTableTests
{
    // Rows whose four preset cells are numbers (or "null …" / "same"); Threads ("processor count") is not one of them.
    private static readonly string[] NumericRows =
    [
        "Steps", "BatchSize", "BaseLearningRate", "ReferenceBatchSize", "WarmupSteps", "Momentum", "LarsTrustCoefficient",
        "WeightDecay", "GradientClipNorm", "MaxConsecutiveNonFiniteSteps", "CheckpointEvery", "KeepCheckpoints", "Seed",
        "StallWarningSteps", "LogEvery", "MinimumViewGap",
    ];

    // The table's columns after the field name, in order.
    private static readonly PretrainingOptions[] Columns =
        [PretrainingOptions.Paper, PretrainingOptions.TinyOfficial, PretrainingOptions.Tiny, PretrainingOptions.Small];

    [Fact]
    public void TheDocumentedNumbersAreThePresets()
    {
        var rows = OptionsTableRows();
        foreach (var name in NumericRows)
        {
            Assert.True(rows.TryGetValue(name, out var cells), $"docs/training.md's options table has no `{name}` row");
            var property = typeof(PretrainingOptions).GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new InvalidOperationException($"PretrainingOptions has no property {name}");
            double? previous = null;
            for (var column = 0; column < Columns.Length; column++)
            {
                var documented = cells[column] == "same" ? previous : Parse(name, cells[column]);
                var actual = property.GetValue(Columns[column]) is { } value ? Convert.ToDouble(value, CultureInfo.InvariantCulture) : (double?)null;
                Assert.True(documented == actual, $"`{name}` in column {column + 1} of docs/training.md's options table: documented {cells[column]}, the preset has {actual?.ToString(CultureInfo.InvariantCulture) ?? "null"}");
                previous = documented;
            }
        }
    }

    private static double? Parse(string row, string cell)
    {
        if (cell.StartsWith("null", StringComparison.Ordinal))
        {
            return null;
        }

        // "200 000" and "1 024": the docs group thousands with a space.
        var text = cell.Replace(" ", "", StringComparison.Ordinal);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"`{row}` cell '{cell}' in docs/training.md's options table is not a number, 'same' or 'null'");
    }

    /// <summary>Field name → its four preset cells, from the table that starts with "| field | default (= `Paper`)".</summary>
    private static Dictionary<string, string[]> OptionsTableRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.Find(), "docs", "training.md"));
        var header = Array.FindIndex(lines, l => l.StartsWith("| field | default (= `Paper`)", StringComparison.Ordinal));
        Assert.True(header >= 0, "docs/training.md has no options table");
        var rows = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
            rows[cells[0].Trim('`')] = cells[1..(1 + Columns.Length)];
        }

        return rows;
    }
}

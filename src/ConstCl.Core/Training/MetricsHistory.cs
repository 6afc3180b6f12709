using System.Globalization;
using System.Text.Json;

namespace ConstCl.Training;

/// <summary>
/// The scalars of a run read back from its <c>metrics.jsonl</c> (<see cref="MetricsLogger"/>), one series per field, in
/// step order. A line cut off by a crash is skipped; a step logged twice keeps its last line; the strings
/// <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c> are read back as the values they stand for.
/// </summary>
public sealed class MetricsHistory
{
    private MetricsHistory(IReadOnlyDictionary<string, MetricSeries> series) => Series = series;

    /// <summary>Field name → its series, for every field but <c>step</c> (<c>wall_time</c> included).</summary>
    public IReadOnlyDictionary<string, MetricSeries> Series { get; }

    /// <summary>The series called <paramref name="name"/>, or null when the run never logged it.</summary>
    /// <param name="name">A field name of <c>metrics.jsonl</c>, e.g. <c>loss/total</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is null.</exception>
    public MetricSeries? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Series.GetValueOrDefault(name);
    }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <param name="path">A run's <c>metrics.jsonl</c> (<see cref="MetricsLogger.MetricsFileName"/> in its output folder).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static MetricsHistory Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"metrics file '{Path.GetFullPath(path)}' not found.", path);
        }

        var byStep = new SortedDictionary<long, Dictionary<string, double>>();
        foreach (var (_, step, fields) in MetricsLines.Read(path))
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var field in fields.EnumerateObject())
            {
                if (field.Name != "step" && Number(field.Value) is double value)
                {
                    values[field.Name] = value;
                }
            }

            byStep[step] = values;
        }

        var series = new Dictionary<string, (List<long> Steps, List<double> Values)>(StringComparer.Ordinal);
        foreach (var (step, values) in byStep)
        {
            foreach (var (name, value) in values)
            {
                if (!series.TryGetValue(name, out var s))
                {
                    series[name] = s = ([], []);
                }

                s.Steps.Add(step);
                s.Values.Add(value);
            }
        }

        return new MetricsHistory(series.ToDictionary(kv => kv.Key, kv => new MetricSeries(kv.Key, kv.Value.Steps.ToArray(), kv.Value.Values.ToArray()), StringComparer.Ordinal));
    }

    private static double? Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => null,
    };
}

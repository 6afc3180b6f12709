namespace ConstCl.Training;

/// <summary>One scalar of a run over its logged steps (see <see cref="MetricsHistory"/>).</summary>
/// <param name="Name">The field name in <c>metrics.jsonl</c>, e.g. <c>loss/total</c>.</param>
/// <param name="Steps">Logged steps, increasing.</param>
/// <param name="Values">The value at each step (may be NaN or infinite).</param>
public sealed record MetricSeries(string Name, long[] Steps, double[] Values);

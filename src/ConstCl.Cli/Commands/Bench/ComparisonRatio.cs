using System.Text.Json.Serialization;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// TorchSharp ÷ PyTorch for a <c>--vs-pytorch</c> comparison. <see cref="SecondsPerStep"/> is the median over rounds of
/// each round's ratio of medians: the two sides of a round run back to back, so load on the machine mostly cancels.
/// </summary>
/// <param name="SecondsPerStep">Median of the per-round time ratios (TorchSharp ÷ PyTorch; below 1 = TorchSharp faster).</param>
/// <param name="PeakRssBytes">Largest TorchSharp peak RSS ÷ largest PyTorch peak RSS over the rounds.</param>
/// <param name="PooledSecondsPerStep">Median of all TorchSharp steps ÷ median of all PyTorch steps.</param>
/// <param name="SecondsPerStepByRound">Each round's ratio of medians, in round order.</param>
/// <param name="CpuSecondsPerStep">Median over rounds of the ratio of median process CPU seconds per step (null when a side did not report CPU time).</param>
internal sealed record ComparisonRatio(
    [property: JsonPropertyName("secondsPerStep")] double SecondsPerStep,
    [property: JsonPropertyName("peakRssBytes")] double PeakRssBytes,
    [property: JsonPropertyName("pooledSecondsPerStep")] double PooledSecondsPerStep,
    [property: JsonPropertyName("secondsPerStepByRound")] IReadOnlyList<double> SecondsPerStepByRound,
    [property: JsonPropertyName("cpuSecondsPerStep")] double? CpuSecondsPerStep = null);

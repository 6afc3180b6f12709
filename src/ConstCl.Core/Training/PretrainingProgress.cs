namespace ConstCl.Training;

/// <summary>One progress report of a pre-training run (for <see cref="IProgress{T}"/>, the metrics file and TensorBoard).</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Epoch">Passes over the training set so far (fractional).</param>
/// <param name="GlobalLoss">Global (video-level) NT-Xent loss of the last step.</param>
/// <param name="LocalLoss">Local (region-level) InfoNCE loss of the last step (unweighted).</param>
/// <param name="WeightDecayLoss">The L2 term <c>wd·Σ‖W‖²/2</c> of the last step.</param>
/// <param name="TotalLoss">The optimised total: weighted global + weighted local + L2 term.</param>
/// <param name="LearningRate">The learning rate of the last update.</param>
/// <param name="ClipsPerSecond">Clips (two per video) through the network per second since the previous report.</param>
/// <param name="DataWaitShare">Share of wall time spent waiting for data since the previous report, in [0, 1].</param>
/// <param name="Eta">Estimated time to finish, or null before there is a measurement.</param>
/// <param name="SkippedSteps">Steps skipped so far because of a non-finite loss or gradient.</param>
public sealed record PretrainingProgress(
    int Step,
    int TotalSteps,
    double Epoch,
    double GlobalLoss,
    double LocalLoss,
    double WeightDecayLoss,
    double TotalLoss,
    double LearningRate,
    double ClipsPerSecond,
    double DataWaitShare,
    TimeSpan? Eta,
    long SkippedSteps)
{
    /// <summary>Learning and collapse diagnostics of the logged step's batch; null when not measured.</summary>
    public RepresentationDiagnostics? Diagnostics { get; init; }

    /// <summary>The numeric fields under the tag names used in metrics files and TensorBoard.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> ToScalars() =>
    [
        .. BaseScalars(),
        .. Diagnostics?.ToScalars() ?? [],
    ];

    private KeyValuePair<string, double>[] BaseScalars() =>
    [
        new("epoch", Epoch),
        new("loss/global", GlobalLoss),
        new("loss/local", LocalLoss),
        new("loss/weight_decay", WeightDecayLoss),
        new("loss/total", TotalLoss),
        new("learning_rate", LearningRate),
        new("throughput/clips_per_second", ClipsPerSecond),
        new("throughput/data_wait_share", DataWaitShare),
        new("steps/skipped_non_finite", SkippedSteps),
    ];
}

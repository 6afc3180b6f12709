using System.Globalization;

namespace ConstCl.Training;

/// <summary>
/// Turns the logged <see cref="RepresentationDiagnostics"/> of a run into warnings a user cannot miss: the global loss
/// sitting at its chance value (nothing is being learned; the mean of the last <see cref="ChanceWindow"/> logged steps) or the embeddings collapsing (every clip maps to the same
/// point), each for at least <c>stallSteps</c> steps after the warm-up. Each condition warns once per episode; it may warn
/// again after it has cleared.
/// </summary>
internal sealed class TrainingHealthMonitor(int stallSteps, int warmupSteps)
{
    /// <summary>A loss within this fraction of its chance value counts as "at chance".</summary>
    internal const double ChanceTolerance = 0.02;

    /// <summary>
    /// Logged steps averaged before the chance test: one batch's loss scatters around chance by more than the tolerance
    /// at small batches (±5 % at batch 4), which kept resetting a single-batch test in a Tiny run parked at chance.
    /// </summary>
    internal const int ChanceWindow = 5;

    private readonly Queue<double> _recentRatios = new();
    private int? _atChanceSince;
    private int? _collapsedSince;
    private bool _chanceWarned;
    private bool _collapseWarned;

    /// <summary>Observes one logged step; returns the warnings it raises (usually none).</summary>
    public IEnumerable<string> Observe(int step, RepresentationDiagnostics? diagnostics)
    {
        if (stallSteps <= 0 || diagnostics is null || step <= warmupSteps)
        {
            return [];
        }

        var raised = new List<string>();
        var c = CultureInfo.InvariantCulture;
        _recentRatios.Enqueue(diagnostics.GlobalLossToChance);
        if (_recentRatios.Count > ChanceWindow)
        {
            _recentRatios.Dequeue();
        }

        var smoothedRatio = _recentRatios.Average();
        if (smoothedRatio >= 1 - ChanceTolerance)
        {
            _atChanceSince ??= step;
            if (!_chanceWarned && step - _atChanceSince.Value >= stallSteps)
            {
                _chanceWarned = true;
                raised.Add(string.Format(c,
                    "the global loss has stayed at its chance value (loss/chance {0:0.000} over the last {1} logged steps) since step {2}: " +
                    "the encoder is not learning to match the two views (positive top-1 {3:0.00}). See docs/training.md, \"When the loss sits at chance\".",
                    smoothedRatio, _recentRatios.Count, _atChanceSince.Value, diagnostics.PositiveTop1));
            }
        }
        else
        {
            _atChanceSince = null;
            _chanceWarned = false;
        }

        if (diagnostics.LooksCollapsed)
        {
            _collapsedSince ??= step;
            if (!_collapseWarned && step - _collapsedSince.Value >= stallSteps)
            {
                _collapseWarned = true;
                raised.Add(string.Format(c,
                    "the embeddings have collapsed since step {0} (mean pairwise cosine {1:0.000}, projection effective rank {2:0.0}): " +
                    "different videos map to nearly the same vector. See docs/training.md, \"When the loss sits at chance\".",
                    _collapsedSince.Value, diagnostics.EmbeddingMeanCosine, diagnostics.ProjectionEffectiveRank));
            }
        }
        else
        {
            _collapsedSince = null;
            _collapseWarned = false;
        }

        return raised;
    }
}

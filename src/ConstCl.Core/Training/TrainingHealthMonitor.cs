using System.Globalization;

namespace ConstCl.Training;

/// <summary>
/// Turns the logged <see cref="RepresentationDiagnostics"/> of a run into warnings a user cannot miss: the global loss
/// sitting at its chance value (nothing is being learned) or the embeddings collapsing (every clip maps to the same
/// point), each for at least <c>stallSteps</c> steps after the warm-up. Each condition warns once per episode; it may warn
/// again after it has cleared.
/// </summary>
internal sealed class TrainingHealthMonitor(int stallSteps, int warmupSteps)
{
    /// <summary>A loss within this fraction of its chance value counts as "at chance".</summary>
    internal const double ChanceTolerance = 0.02;

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
        if (diagnostics.GlobalLossToChance >= 1 - ChanceTolerance)
        {
            _atChanceSince ??= step;
            if (!_chanceWarned && step - _atChanceSince.Value >= stallSteps)
            {
                _chanceWarned = true;
                raised.Add(string.Format(c,
                    "the global loss has stayed at its chance value (loss/chance {0:0.000}) since step {1}: the encoder is not learning " +
                    "to match the two views (positive top-1 {2:0.00}). See docs/training.md, \"When the loss sits at chance\".",
                    diagnostics.GlobalLossToChance, _atChanceSince.Value, diagnostics.PositiveTop1));
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

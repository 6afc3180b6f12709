using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// Decides, once per step, whether the update may be applied: a step whose loss or gradient norm is NaN or ±Inf is
/// skipped (the caller zeroes the gradients and applies nothing) and counted; after <see cref="MaxConsecutive"/>
/// such steps in a row, <see cref="Observe(long, bool)"/> throws <see cref="TrainingDivergedException"/>. One host
/// read per step (a single bool), which the loop needs anyway to decide.
/// </summary>
public sealed class NonFiniteGuard
{
    /// <summary>Creates a guard.</summary>
    /// <param name="maxConsecutive">Non-finite steps in a row that stop the run (&gt;= 1).</param>
    public NonFiniteGuard(int maxConsecutive)
    {
        if (maxConsecutive < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxConsecutive), maxConsecutive, "maxConsecutive must be at least 1.");
        }

        MaxConsecutive = maxConsecutive;
    }

    /// <summary>Non-finite steps in a row that stop the run.</summary>
    public int MaxConsecutive { get; }

    /// <summary>Current run of consecutive non-finite steps.</summary>
    public int Consecutive { get; private set; }

    /// <summary>All skipped steps so far.</summary>
    public long TotalSkipped { get; private set; }

    /// <summary>The last step whose update was allowed, or -1.</summary>
    public long LastGoodStep { get; private set; } = -1;

    /// <summary>True when every element of every given tensor is finite (one host read).</summary>
    /// <param name="tensors">Typically the loss <c>[]</c> and the global gradient norm <c>[]</c>.</param>
    public static bool AllFinite(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var scope = torch.NewDisposeScope();
        var ok = torch.ones(Array.Empty<long>(), dtype: ScalarType.Bool);
        foreach (var t in tensors)
        {
            ok = ok.logical_and(torch.isfinite(t.detach()).all().cpu());
        }

        return ok.item<bool>();
    }

    /// <summary>Checks <paramref name="loss"/> and <paramref name="gradNorm"/> and records the outcome (see <see cref="Observe(long, bool)"/>).</summary>
    /// <param name="step">The current step.</param>
    /// <param name="loss">The step's loss <c>[]</c>.</param>
    /// <param name="gradNorm">The global gradient norm <c>[]</c> (<see cref="GradientClipping.GlobalNorm"/>).</param>
    /// <returns>True when the update may be applied.</returns>
    public bool Observe(long step, Tensor loss, Tensor gradNorm) => Observe(step, AllFinite(loss, gradNorm));

    /// <summary>Records whether the step was finite; throws after too many non-finite steps in a row.</summary>
    /// <param name="step">The current step.</param>
    /// <param name="finite">Whether the loss and gradients were finite.</param>
    /// <returns>True when the update may be applied, false when the step must be skipped.</returns>
    /// <exception cref="TrainingDivergedException">The limit of consecutive non-finite steps was reached.</exception>
    public bool Observe(long step, bool finite)
    {
        if (finite)
        {
            Consecutive = 0;
            LastGoodStep = step;
            return true;
        }

        Consecutive++;
        TotalSkipped++;
        if (Consecutive >= MaxConsecutive)
        {
            throw new TrainingDivergedException(step, Consecutive, LastGoodStep);
        }

        return false;
    }
}

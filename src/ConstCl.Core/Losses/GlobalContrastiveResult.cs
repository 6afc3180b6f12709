using static TorchSharp.torch;

namespace ConstCl.Losses;

/// <summary>
/// The global (clip-level) NT-Xent loss and its diagnostics, as the official <c>ContrastiveLoss</c>
/// returns them. Every member is a scalar tensor on the inputs' device, in the inputs' dtype. Only
/// <see cref="Loss"/> carries gradient; the diagnostics are detached, so reading them (for logging) is
/// the only host synchronisation.
/// </summary>
/// <param name="Loss">The loss to minimise: <c>LossAnchorsA + LossAnchorsB</c> (the official SUM of both directions).</param>
/// <param name="LossAnchorsA">Mean cross-entropy over view-A anchors (detached).</param>
/// <param name="LossAnchorsB">Mean cross-entropy over view-B anchors (detached).</param>
/// <param name="Accuracy">Fraction of view-A anchors whose most similar view-B embedding is their own positive
/// (official <c>contrastive_accuracy</c>; detached).</param>
/// <param name="Entropy">Mean entropy of <c>softmax(z_A z_Bᵀ / τ)</c> over view-A anchors, with the official
/// <c>+1e-8</c> inside the log (official <c>contrastive_entropy</c>; detached).</param>
public sealed record GlobalContrastiveResult(
    Tensor Loss,
    Tensor LossAnchorsA,
    Tensor LossAnchorsB,
    Tensor Accuracy,
    Tensor Entropy) : IDisposable
{
    /// <summary>Disposes every tensor of the result.</summary>
    public void Dispose()
    {
        Loss.Dispose();
        LossAnchorsA.Dispose();
        LossAnchorsB.Dispose();
        Accuracy.Dispose();
        Entropy.Dispose();
    }
}

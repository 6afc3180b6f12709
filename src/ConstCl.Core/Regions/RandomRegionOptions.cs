namespace ConstCl.Regions;

/// <summary>Options of <see cref="RandomRegionProposer"/> (defaults: the official configuration, spec §3.1).</summary>
public sealed record RandomRegionOptions
{
    /// <summary>Boxes per frame; the official <c>num_instances</c> is 8.</summary>
    public int BoxesPerFrame { get; init; } = 8;

    /// <summary>
    /// Reproduce the official seed quirk (spec §3.2): the four <c>tf.random.uniform(seed=1234)</c>
    /// calls very likely share one stream <c>U</c>, so <c>xmin = ymin = U</c>, <c>w = 0.1 + 0.4U</c>,
    /// <c>aspect = 0.5 + 1.5U</c> and every box starts on the image diagonal. Off by default
    /// (independent draws, the evident intent); for fidelity experiments only.
    /// </summary>
    public bool TensorFlowSeedQuirk { get; init; }

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">BoxesPerFrame is not positive.</exception>
    public void Validate()
    {
        if (BoxesPerFrame <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BoxesPerFrame), BoxesPerFrame, "BoxesPerFrame must be positive.");
        }
    }
}

namespace ConstCl.Regions;

/// <summary>
/// Options of <see cref="SlicRegionProposer"/>. Defaults: the paper's 16 superpixels per frame
/// (§3.3) with scikit-image's defaults for the rest (<c>compactness=10</c>, <c>max_num_iter=10</c>,
/// <c>enforce_connectivity=True</c>). Connectivity enforcement absorbs small fragments, so 16 seeds
/// usually end as fewer segments (5, 15, 10 and 14 on the scikit-image astronaut, coffee, chelsea
/// and rocket pictures at 224², as in skimage); the missing boxes are padding, masked invalid.
/// Raise <see cref="Segments"/> for more valid boxes per frame.
/// </summary>
public sealed record SlicRegionOptions
{
    /// <summary>Boxes per frame <c>N</c> (the largest segments are kept).</summary>
    public int BoxesPerFrame { get; init; } = 16;

    /// <summary>Approximate number of superpixels (skimage <c>n_segments</c>); the seed grid decides the exact number.</summary>
    public int Segments { get; init; } = 16;

    /// <summary>Colour vs space balance (skimage <c>compactness</c>); higher gives squarer superpixels.</summary>
    public double Compactness { get; init; } = 10.0;

    /// <summary>k-means iterations (skimage <c>max_num_iter</c>).</summary>
    public int MaxIterations { get; init; } = 10;

    /// <summary>Relabel connected components and absorb small ones (skimage <c>enforce_connectivity</c>).</summary>
    public bool EnforceConnectivity { get; init; } = true;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is not positive.</exception>
    public void Validate()
    {
        if (BoxesPerFrame <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BoxesPerFrame), BoxesPerFrame, "BoxesPerFrame must be positive.");
        }

        if (Segments <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Segments), Segments, "Segments must be positive.");
        }

        if (!(Compactness > 0) || double.IsInfinity(Compactness))
        {
            throw new ArgumentOutOfRangeException(nameof(Compactness), Compactness, "Compactness must be a positive finite number.");
        }

        if (MaxIterations <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be positive.");
        }
    }
}

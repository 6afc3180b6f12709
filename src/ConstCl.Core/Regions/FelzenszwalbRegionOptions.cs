namespace ConstCl.Regions;

/// <summary>
/// Options of <see cref="FelzenszwalbRegionProposer"/> (skimage <c>felzenszwalb</c> parameters).
/// The defaults are chosen for 224×224 frames so that a typical frame has at least the 16 segments
/// the paper keeps (§3.3): on four scikit-image sample pictures resized to 224² they give 38
/// (astronaut), 19 (coffee), 19 (chelsea) and 16 (rocket) segments, the same counts as skimage.
/// Scale <see cref="MinSize"/> with the frame area for other sizes.
/// </summary>
public sealed record FelzenszwalbRegionOptions
{
    /// <summary>Boxes per frame <c>N</c> (the largest segments are kept).</summary>
    public int BoxesPerFrame { get; init; } = 16;

    /// <summary>Observation scale <c>k</c> (skimage <c>scale</c>, on the 0–255 colour scale); higher gives larger segments.</summary>
    public double Scale { get; init; } = 300.0;

    /// <summary>Standard deviation of the Gaussian pre-smoothing in pixels (skimage <c>sigma</c>).</summary>
    public double Sigma { get; init; } = 0.8;

    /// <summary>Minimum segment size in pixels, enforced after the main pass (skimage <c>min_size</c>).</summary>
    public int MinSize { get; init; } = 200;

    /// <summary>Throws when an option is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (BoxesPerFrame <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(BoxesPerFrame), BoxesPerFrame, "BoxesPerFrame must be positive.");
        }

        if (!(Scale > 0) || double.IsInfinity(Scale))
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "Scale must be a positive finite number.");
        }

        if (!(Sigma >= 0) || double.IsInfinity(Sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(Sigma), Sigma, "Sigma must be a finite number ≥ 0.");
        }

        if (MinSize < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinSize), MinSize, "MinSize must be ≥ 0.");
        }
    }
}

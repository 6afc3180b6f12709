namespace ConstCl.Regions;

/// <summary>Options of <see cref="ExternalRegionProposer"/>.</summary>
public sealed record ExternalRegionOptions
{
    /// <summary>Boxes per frame <c>N</c>: the <c>N</c> highest-scoring boxes of a frame are kept.</summary>
    public int BoxesPerFrame { get; init; } = 8;

    /// <summary>
    /// When true, a video with no row in the file gets no boxes (full-frame padding, all invalid), as
    /// for a video in which the detector found nothing. When false (default), such a video is an error,
    /// which catches path mismatches between the box file and the dataset.
    /// </summary>
    public bool MissingVideoIsEmpty { get; init; }

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

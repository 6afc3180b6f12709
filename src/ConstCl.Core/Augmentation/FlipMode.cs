namespace ConstCl.Augmentation;

/// <summary>How the two views of a sample are flipped horizontally.</summary>
public enum FlipMode
{
    /// <summary>Each view flips on its own with the flip probability (official).</summary>
    Independent,

    /// <summary>One draw flips both views or neither: left-right direction stays consistent between the views.</summary>
    Shared,

    /// <summary>No flipping (for data whose classes include left/right direction).</summary>
    None,
}

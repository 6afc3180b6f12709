namespace ConstCl.Augmentation;

/// <summary>The two augmented views of one sample and their boxes.</summary>
/// <param name="View1">View 1, <c>[T, H, W, 3]</c>, in [−1, 1] (or [0, 1] without zero-centring).</param>
/// <param name="View2">View 2, same shape.</param>
/// <param name="Boxes1">View 1's boxes, normalised (x1, y1, x2, y2) quadruples in the output frame, or null.</param>
/// <param name="Boxes2">View 2's boxes, or null.</param>
/// <param name="Augmentation1">What was applied to view 1.</param>
/// <param name="Augmentation2">What was applied to view 2.</param>
public sealed record AugmentedPair(
    Clip View1,
    Clip View2,
    float[]? Boxes1,
    float[]? Boxes2,
    ViewAugmentation Augmentation1,
    ViewAugmentation Augmentation2);

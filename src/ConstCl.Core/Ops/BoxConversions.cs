using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Ops;

/// <summary>
/// Box layout and unit conversions. ConstCl stores boxes as <c>(x1, y1, x2, y2)</c>; the official
/// TensorFlow code uses <c>(y1, x1, y2, x2)</c>. All functions work on a last dimension of 4 and keep
/// every leading dimension, and are differentiable.
/// </summary>
public static class BoxConversions
{
    /// <summary>Scales normalised <c>(x1, y1, x2, y2)</c> boxes to pixel (or feature-cell) units.</summary>
    /// <param name="boxes">Boxes <c>[..., 4]</c> in [0, 1].</param>
    /// <param name="height">Height of the target grid, &gt; 0.</param>
    /// <param name="width">Width of the target grid, &gt; 0.</param>
    /// <returns>Boxes <c>[..., 4]</c>: x multiplied by <paramref name="width"/>, y by <paramref name="height"/>.</returns>
    public static Tensor NormalizedToPixels(Tensor boxes, double height, double width)
    {
        RequireBoxes(boxes, nameof(boxes));
        TensorGuard.RequirePositiveFinite(height, nameof(height));
        TensorGuard.RequirePositiveFinite(width, nameof(width));
        using var scope = NewDisposeScope();
        var factors = tensor(new[] { width, height, width, height }, boxes.dtype, boxes.device);
        return boxes.mul(factors).MoveToOuterDisposeScope();
    }

    /// <summary>Divides pixel-unit <c>(x1, y1, x2, y2)</c> boxes by the grid size, giving normalised boxes.</summary>
    /// <param name="boxes">Boxes <c>[..., 4]</c> in pixel units.</param>
    /// <param name="height">Height of the grid the boxes refer to, &gt; 0.</param>
    /// <param name="width">Width of the grid the boxes refer to, &gt; 0.</param>
    /// <returns>Boxes <c>[..., 4]</c> normalised to [0, 1] for boxes inside the grid.</returns>
    public static Tensor PixelsToNormalized(Tensor boxes, double height, double width)
    {
        RequireBoxes(boxes, nameof(boxes));
        TensorGuard.RequirePositiveFinite(height, nameof(height));
        TensorGuard.RequirePositiveFinite(width, nameof(width));
        using var scope = NewDisposeScope();
        var factors = tensor(new[] { 1.0 / width, 1.0 / height, 1.0 / width, 1.0 / height }, boxes.dtype, boxes.device);
        return boxes.mul(factors).MoveToOuterDisposeScope();
    }

    /// <summary>Reorders ConstCl <c>(x1, y1, x2, y2)</c> boxes to the official <c>(y1, x1, y2, x2)</c> order.</summary>
    /// <param name="boxes">Boxes <c>[..., 4]</c>.</param>
    /// <returns>Boxes <c>[..., 4]</c> in <c>(y1, x1, y2, x2)</c> order.</returns>
    public static Tensor ToOfficialOrder(Tensor boxes) => SwapAxes(boxes);

    /// <summary>Reorders official <c>(y1, x1, y2, x2)</c> boxes to ConstCl's <c>(x1, y1, x2, y2)</c> order.</summary>
    /// <param name="boxes">Boxes <c>[..., 4]</c> in <c>(y1, x1, y2, x2)</c> order.</param>
    /// <returns>Boxes <c>[..., 4]</c> in <c>(x1, y1, x2, y2)</c> order.</returns>
    public static Tensor FromOfficialOrder(Tensor boxes) => SwapAxes(boxes);

    /// <summary>
    /// Turns per-image boxes into the <c>[B·N, 5]</c> region list <see cref="RoiAlign.Apply"/> takes,
    /// prefixing each box with its image index (row-major: all boxes of image 0 first).
    /// </summary>
    /// <param name="boxes">Boxes <c>[B, N, 4]</c>, <c>(x1, y1, x2, y2)</c> in the units RoiAlign expects.</param>
    /// <param name="shift">Added to every coordinate; pass 0.5 with <c>aligned: true</c> and sampling ratio 1 to
    /// reproduce the official TensorFlow ROI features, which place feature pixel k at coordinate k.</param>
    /// <returns>Regions <c>[B·N, 5]</c>: <c>(b, x1, y1, x2, y2)</c>.</returns>
    public static Tensor ToRois(Tensor boxes, double shift = 0.0)
    {
        TensorGuard.RequireRank(boxes, 3, nameof(boxes), "[B, N, 4]");
        RequireBoxes(boxes, nameof(boxes));
        if (!boxes.is_floating_point())
        {
            throw new ArgumentException($"boxes must be a floating-point tensor; got {boxes.dtype}.", nameof(boxes));
        }

        long b = boxes.shape[0], n = boxes.shape[1];
        using var scope = NewDisposeScope();
        var index = Scalars.Arange(b, boxes.dtype, boxes.device).reshape(b, 1, 1).expand(b, n, 1); // [B, N, 1]
        using var offset = shift.ToScalar();
        var shifted = shift == 0.0 ? boxes : boxes.add(offset, Scalars.One);
        return cat(new[] { index, shifted }, 2).reshape(b * n, 5).MoveToOuterDisposeScope();
    }

    private static Tensor SwapAxes(Tensor boxes)
    {
        RequireBoxes(boxes, nameof(boxes));
        using var scope = NewDisposeScope();
        var order = tensor(new long[] { 1, 0, 3, 2 }, device: boxes.device);
        return boxes.index_select(-1, order).MoveToOuterDisposeScope();
    }

    private static void RequireBoxes(Tensor? boxes, string name)
    {
        ArgumentNullException.ThrowIfNull(boxes, name);
        if (boxes.dim() < 1 || boxes.shape[^1] != 4)
        {
            throw new ArgumentException($"{name} must have a last dimension of 4 (box coordinates); got {(boxes.dim() == 0 ? "a scalar" : TensorGuard.Describe(boxes))}.", name);
        }
    }
}

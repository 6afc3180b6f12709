using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Key-frame ROI pooling of the local branch (spec §3.3): boxes scaled to the feature size (no −0.5 shift), a
/// <c>crop × crop</c> grid with <b>one bilinear sample per bin centre</b>, then the mean over the bins.
/// Implemented with <c>grid_sample(bilinear, border, align_corners: true)</c>, which reproduces the official TF
/// bilinear rule (feature pixel k at coordinate k, clamped to the edge). It equals torchvision
/// <c>roi_align(aligned: true, sampling_ratio: 1, spatial_scale: 1)</c> on the same boxes shifted by +0.5 feature pixels,
/// for boxes inside the feature map.
/// </summary>
internal static class KeyFrameRegionPooling
{
    /// <summary>
    /// Pools one feature vector per box.
    /// </summary>
    /// <param name="keySlice">Key-frame features <c>[B, C, H, W]</c> (already L2-normalised per position by the caller).</param>
    /// <param name="boxes">Normalised boxes <c>[B, N, 4]</c> as (x1, y1, x2, y2) in [0, 1].</param>
    /// <param name="cropSize">Bins per side (4).</param>
    /// <returns>Region features <c>[B, N, C]</c>.</returns>
    public static Tensor Pool(Tensor keySlice, Tensor boxes, int cropSize)
    {
        if (keySlice.dim() != 4)
        {
            throw new ArgumentException($"keySlice must be [B, C, H, W]; got [{string.Join(", ", keySlice.shape)}].", nameof(keySlice));
        }

        if (boxes.dim() != 3 || boxes.shape[2] != 4 || boxes.shape[0] != keySlice.shape[0])
        {
            throw new ArgumentException($"boxes must be [B, N, 4] with B = {keySlice.shape[0]}; got [{string.Join(", ", boxes.shape)}].", nameof(boxes));
        }

        if (cropSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cropSize), cropSize, "cropSize must be > 0.");
        }

        using var scope = NewDisposeScope();
        long b = keySlice.shape[0], c = keySlice.shape[1], h = keySlice.shape[2], w = keySlice.shape[3], n = boxes.shape[1];
        // Explicit Scalars that outlive their calls (see Ops.Scalars); each keeps the type of the operand it replaces.
        using var width = w.ToScalar();
        using var height = h.ToScalar();
        using var bins = cropSize.ToScalar();
        using var toGridX = (2.0 / Math.Max(w - 1, 1)).ToScalar();
        using var toGridY = (2.0 / Math.Max(h - 1, 1)).ToScalar();
        var bx = boxes.to(keySlice.dtype);
        var x1 = bx[.., .., 0..1].mul(width);                                            // [B, N, 1] feature-pixel units
        var y1 = bx[.., .., 1..2].mul(height);
        var x2 = bx[.., .., 2..3].mul(width);
        var y2 = bx[.., .., 3..4].mul(height);
        var centres = Scalars.Arange(cropSize, keySlice.dtype, keySlice.device).add(Scalars.HalfDouble, Scalars.One).div(bins);   // [crop]
        var xs = x1.add(centres * (x2 - x1), Scalars.One);                               // [B, N, crop] bin-centre x
        var ys = y1.add(centres * (y2 - y1), Scalars.One);                               // [B, N, crop] bin-centre y
        // align_corners: true maps −1..1 onto pixel centres 0..size−1, i.e. pixel k sits at coordinate k.
        var gx = xs.mul(toGridX).sub(Scalars.One).unsqueeze(2).expand(b, n, cropSize, cropSize);   // [B, N, crop(y), crop(x)]
        var gy = ys.mul(toGridY).sub(Scalars.One).unsqueeze(3).expand(b, n, cropSize, cropSize);
        var grid = stack([gx, gy], -1).reshape(b, n * cropSize, cropSize, 2);           // [B, N·crop, crop, 2]
        var sampled = nn.functional.grid_sample(
            keySlice, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: true);   // [B, C, N·crop, crop]
        var pooled = sampled.view(b, c, n, cropSize, cropSize).mean([3, 4]);             // [B, C, N]
        return pooled.transpose(1, 2).contiguous().MoveToOuterDisposeScope();           // [B, N, C]
    }
}

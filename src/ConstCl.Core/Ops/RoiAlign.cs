using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Ops;

/// <summary>
/// ROI Align with exactly the semantics of <c>torchvision.ops.roi_align</c> (torchvision 0.14),
/// built from gather operations so that it is differentiable with respect to the features and runs
/// on any device TorchSharp supports.
/// </summary>
/// <remarks>
/// <para>For a region <c>(x1, y1, x2, y2)</c> in input-image units, with offset <c>o = aligned ? 0.5 : 0</c>:
/// the region in feature units starts at <c>x1·scale − o</c> and is <c>(x2 − x1)·scale</c> wide (at least
/// 1 when <c>aligned</c> is false). It is cut into <c>outputHeight × outputWidth</c> bins; each bin
/// averages <c>gh × gw</c> bilinear samples at the centres of a regular sub-grid, where
/// <c>gh = gw = samplingRatio</c>, or, when <c>samplingRatio ≤ 0</c>, <c>gh = ceil(roiHeight / outputHeight)</c>
/// and <c>gw = ceil(roiWidth / outputWidth)</c> per region.</para>
/// <para>Feature pixel <c>k</c> sits at coordinate <c>k</c>. A sample with <c>y &lt; −1</c>, <c>y &gt; H</c>,
/// <c>x &lt; −1</c> or <c>x &gt; W</c> contributes zero (but still counts in the bin average); otherwise
/// coordinates ≤ 0 are clamped to 0 and coordinates ≥ H − 1 (W − 1) use the last row (column).</para>
/// <para>The official ConST-CL ROI features (4×4 bins, one sample at each bin centre, boxes scaled to
/// feature pixels with no half-pixel shift) are <c>Apply(f, rois + 0.5 px, 4, 4, 1, 1, aligned: true)</c>;
/// see <see cref="BoxConversions.ToRois"/>.</para>
/// </remarks>
public static class RoiAlign
{
    /// <summary>Pools a fixed-size feature map for each region.</summary>
    /// <param name="features">Feature maps <c>[N, C, H, W]</c>, float32 or float64.</param>
    /// <param name="rois">Regions <c>[K, 5]</c>: <c>(batch index, x1, y1, x2, y2)</c> in input-image units
    /// (multiplied by <paramref name="spatialScale"/> to get feature units). Same floating dtype family as the
    /// features (converted to the features' dtype); the batch index must be an integer in <c>[0, N)</c>.</param>
    /// <param name="outputHeight">Bins per region vertically (≥ 1).</param>
    /// <param name="outputWidth">Bins per region horizontally (≥ 1).</param>
    /// <param name="spatialScale">Feature units per input-image unit (for example 1/16), &gt; 0.</param>
    /// <param name="samplingRatio">Samples per bin along each axis; ≤ 0 chooses <c>ceil(roi / bins)</c> per region.</param>
    /// <param name="aligned">True shifts boxes by −0.5 feature pixel (pixel-centre model); false keeps the
    /// legacy behaviour and forces each region to be at least 1×1 feature pixels.</param>
    /// <returns>Pooled features <c>[K, C, outputHeight, outputWidth]</c>, differentiable with respect to
    /// <paramref name="features"/> (not to <paramref name="rois"/>).</returns>
    public static Tensor Apply(
        Tensor features,
        Tensor rois,
        int outputHeight,
        int outputWidth,
        double spatialScale,
        int samplingRatio,
        bool aligned)
    {
        TensorGuard.RequireRank(features, 4, nameof(features), "[N, C, H, W]");
        TensorGuard.RequireFloating(features, nameof(features));
        TensorGuard.RequireRank(rois, 2, nameof(rois), "[K, 5] of (batch index, x1, y1, x2, y2)");
        if (rois.shape[1] != 5)
        {
            throw new ArgumentException(
                $"rois must have shape [K, 5] of (batch index, x1, y1, x2, y2); got {TensorGuard.Describe(rois)}.", nameof(rois));
        }

        if (!rois.is_floating_point())
        {
            throw new ArgumentException($"rois must be a floating-point tensor; got {rois.dtype}.", nameof(rois));
        }

        TensorGuard.RequireSameDevice(rois, features, nameof(rois), nameof(features));
        if (outputHeight < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(outputHeight), outputHeight, "outputHeight must be at least 1.");
        }

        if (outputWidth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(outputWidth), outputWidth, "outputWidth must be at least 1.");
        }

        TensorGuard.RequirePositiveFinite(spatialScale, nameof(spatialScale));

        long n = features.shape[0], c = features.shape[1], h = features.shape[2], w = features.shape[3];
        long k = rois.shape[0];
        if (h < 1 || w < 1 || n < 1)
        {
            throw new ArgumentException(
                $"features must have N, H and W of at least 1; got {TensorGuard.Describe(features)}.", nameof(features));
        }

        using var scope = NewDisposeScope();
        if (k == 0)
        {
            return zeros(new long[] { 0, c, outputHeight, outputWidth }, features.dtype, features.device)
                .MoveToOuterDisposeScope();
        }

        var dtype = features.dtype;
        var r = rois.detach().to_type(dtype);
        var batch = CheckedBatchIndices(r, n); // [K] int64

        // Every Scalar is explicit and lives until the method returns (see Scalars: a temporary one can be finalised
        // while libtorch reads it).
        using var scale = spatialScale.ToScalar();
        using var shift = (aligned ? 0.5 : 0.0).ToScalar();
        using var binsY = outputHeight.ToScalar();
        using var binsX = outputWidth.ToScalar();

        // Region geometry in feature units, in the features' precision (as torchvision does).
        var scaled = r.narrow(1, 1, 4).mul(scale);                // [K, 4]
        var startX = scaled.select(1, 0).sub(shift);              // [K]
        var startY = scaled.select(1, 1).sub(shift);
        var roiWidth = scaled.select(1, 2).sub(shift).sub(startX);
        var roiHeight = scaled.select(1, 3).sub(shift).sub(startY);
        if (!aligned)
        {
            roiWidth = roiWidth.clamp_min(Scalars.OneDouble);
            roiHeight = roiHeight.clamp_min(Scalars.OneDouble);
        }

        var binHeight = roiHeight.div(binsY);                     // [K]
        var binWidth = roiWidth.div(binsX);

        // Samples per bin: fixed, or ceil(roi / bins) per region (≤ 0 means no sample at all).
        Tensor gridH, gridW;
        long maxGridH, maxGridW;
        if (samplingRatio > 0)
        {
            using var ratio = samplingRatio.ToScalar();
            gridH = full(k, ratio, dtype, features.device);
            gridW = full(k, ratio, dtype, features.device);
            maxGridH = maxGridW = samplingRatio;
        }
        else
        {
            gridH = roiHeight.div(binsY).ceil().clamp_min(Scalars.ZeroDouble);
            gridW = roiWidth.div(binsX).ceil().clamp_min(Scalars.ZeroDouble);
            maxGridH = Math.Max(1L, (long)gridH.max().cpu().to_type(ScalarType.Float64).item<double>());
            maxGridW = Math.Max(1L, (long)gridW.max().cpu().to_type(ScalarType.Float64).item<double>());
        }

        var count = gridH.mul(gridW).clamp_min(Scalars.OneDouble); // [K]

        // Sample coordinates, same operation order as torchvision:
        // y = start + p·bin + (i + 0.5)·bin / grid.
        var (ys, validSy) = SampleCoordinates(startY, binHeight, gridH, outputHeight, maxGridH, dtype); // [K, outH, Gh]
        var (xs, validSx) = SampleCoordinates(startX, binWidth, gridW, outputWidth, maxGridW, dtype);  // [K, outW, Gw]

        var (yLow, yHigh, ly, hy, inY) = Axis(ys, h);
        var (xLow, xHigh, lx, hx, inX) = Axis(xs, w);

        // Broadcast to [K, outH, Gh, outW, Gw].
        Tensor Y(Tensor t) => t.reshape(k, outputHeight, maxGridH, 1, 1);
        Tensor X(Tensor t) => t.reshape(k, 1, 1, outputWidth, maxGridW);

        var valid = Y(inY.logical_and(validSy)).logical_and(X(inX.logical_and(validSx)));
        var scaleBySample = valid.to_type(dtype).div(count.reshape(k, 1, 1, 1, 1)); // 0 for dropped samples

        using var plane = (h * w).ToScalar();
        using var rowLength = w.ToScalar();
        var baseIndex = batch.mul(plane).reshape(k, 1, 1, 1, 1);
        var rowLow = Y(yLow.mul(rowLength)).add(baseIndex, Scalars.One);
        var rowHigh = Y(yHigh.mul(rowLength)).add(baseIndex, Scalars.One);

        // Channels-last rows so one index_select gathers all C channels of a pixel.
        var flat = features.permute(0, 2, 3, 1).reshape(n * h * w, c); // [N·H·W, C]
        var corners = new (Tensor Index, Tensor Weight)[]
        {
            (rowLow.add(X(xLow), Scalars.One), Y(hy).mul(X(hx))),
            (rowLow.add(X(xHigh), Scalars.One), Y(hy).mul(X(lx))),
            (rowHigh.add(X(xLow), Scalars.One), Y(ly).mul(X(hx))),
            (rowHigh.add(X(xHigh), Scalars.One), Y(ly).mul(X(lx))),
        };

        Tensor? pooled = null; // [K, outH, outW, C]
        foreach (var (index, weight) in corners)
        {
            using var values = flat.index_select(0, index.reshape(-1))
                .reshape(k, outputHeight, maxGridH, outputWidth, maxGridW, c);  // [K, outH, Gh, outW, Gw, C]
            using var weighted = values.mul(weight.mul(scaleBySample).unsqueeze(-1));
            var term = weighted.sum(new long[] { 2, 4 });                       // [K, outH, outW, C]
            pooled = pooled is null ? term : pooled.add_(term, Scalars.One);
        }

        return pooled!.permute(0, 3, 1, 2).contiguous().MoveToOuterDisposeScope(); // [K, C, outH, outW]
    }

    /// <summary>
    /// Reads the regions once: checks every coordinate is finite and every batch index an integer in [0, N);
    /// returns the batch column as int64.
    /// </summary>
    private static Tensor CheckedBatchIndices(Tensor rois, long n)
    {
        var host = rois.cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        for (var i = 0; i < host.Length; i++)
        {
            if (!double.IsFinite(host[i]))
            {
                throw new ArgumentException($"rois[{i / 5}, {i % 5}] must be finite; got {host[i]}.", "rois");
            }

            var b = host[i];
            if (i % 5 == 0 && (!(b >= 0 && b < n) || b != Math.Floor(b)))
            {
                throw new ArgumentException(
                    $"rois[{i / 5}, 0] (batch index) must be an integer in [0, {n}); got {b}.", "rois");
            }
        }

        return rois.select(1, 0).to_type(ScalarType.Int64);
    }

    /// <summary>Sample positions along one axis, <c>[K, bins, G]</c>, and which of the G slots are real samples.</summary>
    private static (Tensor Coordinates, Tensor Valid) SampleCoordinates(
        Tensor start, Tensor binSize, Tensor grid, int bins, long maxGrid, ScalarType dtype)
    {
        var device = start.device;
        var p = Scalars.Arange(bins, dtype, device).reshape(1, bins, 1);
        var i = Scalars.Arange(maxGrid, dtype, device).reshape(1, 1, maxGrid);
        var bin = binSize.reshape(-1, 1, 1);
        var g = grid.reshape(-1, 1, 1);
        // A region with no samples (adaptive grid 0) would divide by 0; its slots are masked anyway.
        var coordinates = start.reshape(-1, 1, 1).add(p.mul(bin), Scalars.One)
            .add(i.add(Scalars.HalfDouble, Scalars.One).mul(bin).div(g.clamp_min(Scalars.OneDouble)), Scalars.One);
        var valid = i.lt(g).expand(coordinates.shape);
        return (coordinates, valid);
    }

    /// <summary>torchvision's bilinear neighbours along one axis of length <paramref name="size"/>.</summary>
    private static (Tensor Low, Tensor High, Tensor L, Tensor H, Tensor InRange) Axis(Tensor y, long size)
    {
        using var minusOne = (-1.0).ToScalar();
        using var end = ((double)size).ToScalar();
        using var lastIndex = (size - 1).ToScalar();
        var inRange = y.ge(minusOne).logical_and(y.le(end));
        var clamped = y.clamp_min(Scalars.ZeroDouble);
        // Clamp before the integer cast so far-away (dropped) samples cannot overflow.
        var low = clamped.clamp_max(end).floor().to_type(ScalarType.Int64);
        var atEnd = low.ge(lastIndex);
        var last = full_like(low, lastIndex);
        low = where(atEnd, last, low);
        var high = where(atEnd, last, low.add(Scalars.One, Scalars.One));
        var position = where(atEnd, low.to_type(y.dtype), clamped);
        var l = position.sub(low.to_type(y.dtype));
        var hWeight = l.neg().add(Scalars.OneDouble, Scalars.One);
        return (low, high, l, hWeight, inRange);
    }
}

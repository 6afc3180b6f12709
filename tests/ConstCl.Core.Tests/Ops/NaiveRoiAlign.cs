namespace ConstCl.Core.Tests.Ops;

/// <summary>
/// Independent nested-loop ROI Align following the torchvision CPU kernel's description
/// (torchvision/csrc/ops/cpu/roi_align_kernel.cpp), in double precision, for checking the tensor version.
/// </summary>
internal static class NaiveRoiAlign
{
    /// <param name="f">Features, row-major [N, C, H, W].</param>
    /// <param name="rois">Rows (b, x1, y1, x2, y2).</param>
    /// <returns>Row-major [K, C, outH, outW].</returns>
    public static double[] Apply(
        double[] f, int n, int c, int h, int w, double[][] rois,
        int outH, int outW, double scale, int samplingRatio, bool aligned)
    {
        var result = new double[rois.Length * c * outH * outW];
        double offset = aligned ? 0.5 : 0.0;
        for (var k = 0; k < rois.Length; k++)
        {
            var roi = rois[k];
            var b = (int)roi[0];
            if (b < 0 || b >= n)
            {
                throw new ArgumentOutOfRangeException(nameof(rois));
            }

            double x1 = roi[1] * scale - offset, y1 = roi[2] * scale - offset;
            double x2 = roi[3] * scale - offset, y2 = roi[4] * scale - offset;
            double roiW = x2 - x1, roiH = y2 - y1;
            if (!aligned)
            {
                roiW = Math.Max(roiW, 1.0);
                roiH = Math.Max(roiH, 1.0);
            }

            double binH = roiH / outH, binW = roiW / outW;
            var gridH = samplingRatio > 0 ? samplingRatio : (int)Math.Ceiling(roiH / outH);
            var gridW = samplingRatio > 0 ? samplingRatio : (int)Math.Ceiling(roiW / outW);
            double count = Math.Max(gridH * gridW, 1);

            for (var ch = 0; ch < c; ch++)
            {
                for (var ph = 0; ph < outH; ph++)
                {
                    for (var pw = 0; pw < outW; pw++)
                    {
                        double sum = 0;
                        for (var iy = 0; iy < gridH; iy++)
                        {
                            var y = y1 + ph * binH + (iy + 0.5) * binH / gridH;
                            for (var ix = 0; ix < gridW; ix++)
                            {
                                var x = x1 + pw * binW + (ix + 0.5) * binW / gridW;
                                sum += Bilinear(f, ((b * c) + ch) * h * w, h, w, y, x);
                            }
                        }

                        result[(((k * c) + ch) * outH + ph) * outW + pw] = sum / count;
                    }
                }
            }
        }

        return result;
    }

    private static double Bilinear(double[] f, int plane, int h, int w, double y, double x)
    {
        if (y < -1.0 || y > h || x < -1.0 || x > w)
        {
            return 0.0;
        }

        y = Math.Max(y, 0.0);
        x = Math.Max(x, 0.0);
        int yLow = (int)y, xLow = (int)x, yHigh, xHigh;
        if (yLow >= h - 1)
        {
            yLow = yHigh = h - 1;
            y = yLow;
        }
        else
        {
            yHigh = yLow + 1;
        }

        if (xLow >= w - 1)
        {
            xLow = xHigh = w - 1;
            x = xLow;
        }
        else
        {
            xHigh = xLow + 1;
        }

        double ly = y - yLow, lx = x - xLow, hy = 1 - ly, hx = 1 - lx;
        return hy * hx * f[plane + yLow * w + xLow] + hy * lx * f[plane + yLow * w + xHigh]
             + ly * hx * f[plane + yHigh * w + xLow] + ly * lx * f[plane + yHigh * w + xHigh];
    }
}

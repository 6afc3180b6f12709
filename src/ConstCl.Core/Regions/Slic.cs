namespace ConstCl.Regions;

/// <summary>
/// SLIC superpixels (Achanta et al., TPAMI 2012) following <c>skimage.segmentation.slic</c> 0.19 for a
/// 2-D RGB image with <c>sigma=0</c>, no mask, no SLIC-zero, <c>start_label=1</c>:
/// <list type="number">
/// <item>bytes/255, then the whole image is stretched to <c>[0, 1]</c> by its global min and max;
/// RGB → CIELAB; colours are divided by the compactness.</item>
/// <item>Seeds on skimage's <c>regular_grid</c> of the (1, H, W) volume; seed colours start at 0,
/// so the first assignment is a purely spatial Voronoi partition.</item>
/// <item>Each of <c>max_iter</c> iterations assigns every pixel within ±2 grid steps of a centre to the
/// centre minimising <c>|Δpos|²/S² + |Δlab|²/m²</c> (S the largest grid step, m the compactness;
/// first minimum wins), then recomputes the centres as means (an empty cluster's centre becomes
/// NaN and never wins again).</item>
/// <item>Connectivity: a raster scan relabels 4-connected components in order of appearance; a
/// component smaller than <c>⌊0.5·HW/K⌋</c> pixels takes the label of the last already-relabelled
/// neighbour met during its breadth-first search; components stop growing at <c>⌊3·HW/K⌋</c>
/// pixels (K = number of seeds).</item>
/// </list>
/// </summary>
internal static class Slic
{
    /// <summary>Segments an RGB24 image; returns labels <c>[H·W]</c> starting at 1.</summary>
    public static int[] Segment(byte[] rgb24, int width, int height, int segments, double compactness, int maxIterations,
        bool enforceConnectivity, double minSizeFactor = 0.5, double maxSizeFactor = 3.0)
    {
        int pixels = width * height;
        double[] lab = ToScaledLab(rgb24, pixels, 1.0 / compactness);

        (int[] starts, int[] steps) = RegularGrid(height, width, segments);
        var centers = new List<double[]>();
        for (int y = starts[1]; y < height; y += steps[1])
        {
            for (int x = starts[2]; x < width; x += steps[2])
            {
                centers.Add(new double[] { 0, y, x, 0, 0, 0 }); // [z, y, x, L, a, b]
            }
        }

        int k = centers.Count;
        double step = Math.Max(1, Math.Max(steps[1], steps[2]));
        (_, int[] windowSteps) = RegularGrid(height, width, k);
        int stepY = windowSteps[1], stepX = windowSteps[2];

        var labels = new int[pixels];
        var distance = new double[pixels];
        var count = new long[k];
        double spatialWeight = 1.0 / (step * step);
        double[][] c = centers.ToArray();
        for (int iter = 0; iter < maxIterations; iter++)
        {
            bool change = false;
            Array.Fill(distance, double.MaxValue);
            for (int s = 0; s < k; s++)
            {
                double[] cs = c[s];
                double cz = cs[0], cy = cs[1], cx = cs[2];
                if (double.IsNaN(cy) || double.IsNaN(cx))
                {
                    continue; // empty cluster: every distance to it is NaN and never wins
                }

                int yMin = (int)Math.Max(cy - 2 * stepY, 0), yMax = (int)Math.Min(cy + 2 * stepY + 1, height);
                int xMin = (int)Math.Max(cx - 2 * stepX, 0), xMax = (int)Math.Min(cx + 2 * stepX + 1, width);
                double dz = cz * cz; // the only slice is z = 0
                double l0 = cs[3], a0 = cs[4], b0 = cs[5];
                change |= AssignWindow(lab, distance, labels, width, s + 1, cy, cx, dz, l0, a0, b0, spatialWeight, yMin, yMax, xMin, xMax);
            }

            if (!change)
            {
                break;
            }

            Array.Clear(count);
            foreach (double[] cs in c)
            {
                Array.Clear(cs);
            }

            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int p = y * width + x;
                    int s = labels[p] - 1;
                    if (s < 0)
                    {
                        continue;
                    }

                    double[] cs = c[s];
                    count[s]++;
                    cs[1] += y;
                    cs[2] += x;
                    cs[3] += lab[3 * p];
                    cs[4] += lab[3 * p + 1];
                    cs[5] += lab[3 * p + 2];
                }
            }

            for (int s = 0; s < k; s++)
            {
                for (int f = 0; f < 6; f++)
                {
                    c[s][f] /= count[s]; // 0/0 = NaN for an empty cluster, as in skimage
                }
            }
        }

        if (!enforceConnectivity)
        {
            return labels;
        }

        double segmentSize = (double)pixels / k;
        return EnforceConnectivity(labels, width, height, (int)(minSizeFactor * segmentSize), (int)(maxSizeFactor * segmentSize));
    }

    // The hot loop, without bounds checks; same operation order as skimage's for identical rounding.
    private static unsafe bool AssignWindow(double[] lab, double[] distance, int[] labels, int width, int label,
        double cy, double cx, double dz, double l0, double a0, double b0, double spatialWeight, int yMin, int yMax, int xMin, int xMax)
    {
        bool change = false;
        fixed (double* labP = lab, distP = distance)
        fixed (int* labelP = labels)
        {
            for (int y = yMin; y < yMax; y++)
            {
                double dy = cy - y;
                dy *= dy;
                int row = y * width;
                for (int x = xMin; x < xMax; x++)
                {
                    double dx = cx - x;
                    dx *= dx;
                    double d = (dz + dy + dx) * spatialWeight;
                    int p = row + x;
                    double* c = labP + 3 * p;
                    double t0 = c[0] - l0, t1 = c[1] - a0, t2 = c[2] - b0;
                    double dc = 0;
                    dc += t0 * t0;
                    dc += t1 * t1;
                    dc += t2 * t2;
                    d += dc;
                    if (distP[p] > d)
                    {
                        labelP[p] = label;
                        distP[p] = d;
                        change = true;
                    }
                }
            }
        }

        return change;
    }

    /// <summary>
    /// skimage's <c>regular_grid</c> for the shape (1, H, W): returns per axis (z, y, x) the start
    /// <c>⌊step/2⌋</c> and the step rounded half-to-even.
    /// </summary>
    internal static (int[] Starts, int[] Steps) RegularGrid(int height, int width, int points)
    {
        int[] shape = { 1, height, width };
        double space = (double)height * width;
        if (space <= points)
        {
            return (new[] { 0, 0, 0 }, new[] { 1, 1, 1 });
        }

        // Stable order of the axes by size (numpy's argsort of three elements is stable).
        int[] order = Enumerable.Range(0, 3).OrderBy(i => shape[i]).ToArray();
        double[] sorted = order.Select(i => (double)shape[i]).ToArray();
        double[] stepSizes = Enumerable.Repeat(Math.Pow(space / points, 1.0 / 3), 3).ToArray();
        if (sorted.Zip(stepSizes).Any(p => p.First < p.Second))
        {
            for (int dim = 0; dim < 3; dim++)
            {
                stepSizes[dim] = sorted[dim];
                double rest = 1;
                for (int j = dim + 1; j < 3; j++)
                {
                    rest *= sorted[j];
                }

                for (int j = dim + 1; j < 3; j++)
                {
                    stepSizes[j] = Math.Pow(rest / points, 1.0 / (3 - dim - 1));
                }

                if (sorted.Zip(stepSizes).All(p => p.First >= p.Second))
                {
                    break;
                }
            }
        }

        var starts = new int[3];
        var steps = new int[3];
        for (int j = 0; j < 3; j++)
        {
            starts[order[j]] = (int)Math.Floor(stepSizes[j] / 2);
            steps[order[j]] = (int)Math.Round(stepSizes[j], MidpointRounding.ToEven);
        }

        return (starts, steps);
    }

    private static double[] ToScaledLab(byte[] rgb24, int pixels, double ratio)
    {
        byte min = 255, max = 0;
        foreach (byte v in rgb24)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double lo = min / 255.0, range = max / 255.0 - lo;
        var lab = new double[3 * pixels];
        for (int p = 0; p < pixels; p++)
        {
            double r = rgb24[3 * p] / 255.0 - lo, g = rgb24[3 * p + 1] / 255.0 - lo, b = rgb24[3 * p + 2] / 255.0 - lo;
            if (range != 0)
            {
                r /= range;
                g /= range;
                b /= range;
            }

            (double l, double a, double bb) = CieLab.FromRgb(r, g, b);
            lab[3 * p] = l * ratio;
            lab[3 * p + 1] = a * ratio;
            lab[3 * p + 2] = bb * ratio;
        }

        return lab;
    }

    private static readonly int[] Dx = { 1, -1, 0, 0 };
    private static readonly int[] Dy = { 0, 0, 1, -1 };

    /// <summary>skimage's <c>_enforce_label_connectivity_cython</c> on one slice (see the class summary).</summary>
    internal static int[] EnforceConnectivity(int[] labels, int width, int height, int minSize, int maxSize)
    {
        var connected = new int[labels.Length];
        var queue = new int[Math.Max(maxSize, 1)];
        int currentNewLabel = 1;
        for (int p0 = 0; p0 < labels.Length; p0++)
        {
            if (labels[p0] == 0 || connected[p0] > 0)
            {
                continue;
            }

            int adjacent = currentNewLabel;
            int label = labels[p0];
            connected[p0] = currentNewLabel;
            int size = 1, visited = 0;
            queue[0] = p0;
            while (visited < size && size < maxSize)
            {
                int qy = queue[visited] / width, qx = queue[visited] % width;
                for (int i = 0; i < 4; i++)
                {
                    int yy = qy + Dy[i], xx = qx + Dx[i];
                    if (xx < 0 || xx >= width || yy < 0 || yy >= height)
                    {
                        continue;
                    }

                    int q = yy * width + xx;
                    if (labels[q] == label && connected[q] == 0)
                    {
                        connected[q] = currentNewLabel;
                        queue[size++] = q;
                        if (size >= maxSize)
                        {
                            break;
                        }
                    }
                    else if (connected[q] > 0 && connected[q] != currentNewLabel)
                    {
                        adjacent = connected[q];
                    }
                }

                visited++;
            }

            if (size < minSize)
            {
                for (int i = 0; i < size; i++)
                {
                    connected[queue[i]] = adjacent;
                }
            }
            else
            {
                currentNewLabel++;
            }
        }

        return connected;
    }
}

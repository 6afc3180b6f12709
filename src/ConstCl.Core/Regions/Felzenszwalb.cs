namespace ConstCl.Regions;

/// <summary>
/// Graph-based segmentation (Felzenszwalb &amp; Huttenlocher, IJCV 2004) following
/// <c>skimage.segmentation.felzenszwalb</c> 0.19 on an RGB image:
/// <list type="number">
/// <item>bytes/255, Gaussian smoothing with σ per channel (scipy, <c>mode='reflect'</c>).</item>
/// <item>An 8-connected grid graph: each pixel links to its right, lower, lower-right and
/// upper-right neighbour (listed in that order); the weight is the Euclidean RGB distance of the
/// smoothed pixels.</item>
/// <item>Edges in increasing weight (ties by list position) merge components <c>C1, C2</c> when
/// <c>w &lt; min(Int(C1) + k/|C1|, Int(C2) + k/|C2|)</c> with <c>k = scale/255</c>; the merged
/// component's <c>Int</c> becomes <c>w</c> (the edges arrive sorted, so this is its MST maximum).
/// The thresholds are rounded to single precision as skimage's <c>float</c> locals are.</item>
/// <item>A second pass over the same sorted edges merges any component smaller than
/// <c>min_size</c> with its neighbour.</item>
/// <item>Labels 0..K−1 in order of each component's first pixel in raster order.</item>
/// </list>
/// The union-find keeps the smallest pixel index as the root, as skimage's does.
/// </summary>
internal static class Felzenszwalb
{
    /// <summary>Segments an RGB24 image; returns labels <c>[H·W]</c> from 0 and the segment count.</summary>
    public static int[] Segment(byte[] rgb24, int width, int height, double scale, double sigma, int minSize, out int segmentCount)
    {
        int pixels = width * height;
        var image = new double[3 * pixels];
        for (int i = 0; i < image.Length; i++)
        {
            image[i] = rgb24[i] / 255.0;
        }

        image = GaussianFilter.Smooth(image, width, height, 3, sigma);
        double k = scale / 255.0;

        int nRight = height * (width - 1), nDown = (height - 1) * width, nDiag = (height - 1) * (width - 1);
        int edgeCount = nRight + nDown + 2 * nDiag;
        var a = new int[edgeCount];
        var b = new int[edgeCount];
        var cost = new double[edgeCount];
        int e = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x + 1 < width; x++)
            {
                Add(ref e, y * width + x + 1, y * width + x);
            }
        }

        for (int y = 0; y + 1 < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                Add(ref e, (y + 1) * width + x, y * width + x);
            }
        }

        for (int y = 0; y + 1 < height; y++)
        {
            for (int x = 0; x + 1 < width; x++)
            {
                Add(ref e, (y + 1) * width + x + 1, y * width + x);
            }
        }

        for (int y = 0; y + 1 < height; y++)
        {
            for (int x = 0; x + 1 < width; x++)
            {
                Add(ref e, (y + 1) * width + x, y * width + x + 1);
            }
        }

        var order = new int[edgeCount];
        for (int i = 0; i < edgeCount; i++)
        {
            order[i] = i;
        }

        // Sort by weight, then by list position within runs of equal weight (a deterministic order;
        // numpy's unstable argsort may visit ties differently, see the class summary).
        var keys = (double[])cost.Clone();
        Array.Sort(keys, order);
        for (int start = 0; start < edgeCount;)
        {
            int end = start + 1;
            while (end < edgeCount && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(order, start, end - start);
            }

            start = end;
        }

        var parent = new int[pixels];
        var size = new long[pixels];
        var internalCost = new double[pixels];
        for (int i = 0; i < pixels; i++)
        {
            parent[i] = i;
            size[i] = 1;
        }

        foreach (int i in order)
        {
            int r0 = FindRoot(parent, a[i]), r1 = FindRoot(parent, b[i]);
            if (r0 == r1)
            {
                continue;
            }

            float t0 = (float)(internalCost[r0] + k / size[r0]);
            float t1 = (float)(internalCost[r1] + k / size[r1]);
            if (cost[i] < Math.Min(t0, t1))
            {
                int root = Join(parent, r0, r1);
                size[root] = size[r0] + size[r1];
                internalCost[root] = cost[i];
            }
        }

        foreach (int i in order)
        {
            int r0 = FindRoot(parent, a[i]), r1 = FindRoot(parent, b[i]);
            if (r0 == r1)
            {
                continue;
            }

            if (size[r0] < minSize || size[r1] < minSize)
            {
                int root = Join(parent, r0, r1);
                size[root] = size[r0] + size[r1];
            }
        }

        // Roots are the smallest pixel of each component, so numbering them in increasing order is
        // numbering components by first raster appearance (np.unique on the roots).
        var labels = new int[pixels];
        var labelOfRoot = new int[pixels];
        Array.Fill(labelOfRoot, -1);
        segmentCount = 0;
        for (int p = 0; p < pixels; p++)
        {
            int r = FindRoot(parent, p);
            if (labelOfRoot[r] < 0)
            {
                labelOfRoot[r] = segmentCount++;
            }

            labels[p] = labelOfRoot[r];
        }

        return labels;

        void Add(ref int index, int p, int q)
        {
            double d0 = image[3 * p] - image[3 * q], d1 = image[3 * p + 1] - image[3 * q + 1], d2 = image[3 * p + 2] - image[3 * q + 2];
            a[index] = p;
            b[index] = q;
            cost[index] = Math.Sqrt(d0 * d0 + d1 * d1 + d2 * d2);
            index++;
        }
    }

    private static int FindRoot(int[] parent, int n)
    {
        // Path halving: roots are the same as without it (they only change in Join), lookups are faster.
        while (parent[n] < n)
        {
            parent[n] = parent[parent[n]];
            n = parent[n];
        }

        return n;
    }

    // Both paths point at the smaller root afterwards (skimage's join_trees + set_root).
    private static int Join(int[] parent, int r0, int r1)
    {
        int root = Math.Min(r0, r1);
        parent[r0] = root;
        parent[r1] = root;
        return root;
    }
}

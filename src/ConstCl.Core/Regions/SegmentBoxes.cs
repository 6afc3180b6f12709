namespace ConstCl.Regions;

/// <summary>Bounding boxes of the segments of a label map, largest segments first.</summary>
internal static class SegmentBoxes
{
    /// <summary>
    /// Ranks the segments of <paramref name="labels"/> (<c>[H·W]</c>, any non-negative ids) by pixel
    /// count, descending, ties by smaller label id (earlier in raster order for skimage's labels), and
    /// returns the bounding boxes of the first <paramref name="top"/>: a segment covering columns
    /// <c>c0..c1</c> and rows <c>r0..r1</c> gives <c>(c0/W, r0/H, (c1+1)/W, (r1+1)/H)</c>.
    /// </summary>
    public static List<RegionBox> Largest(int[] labels, int width, int height, int top, out int segmentCount)
    {
        int maxLabel = 0;
        foreach (int l in labels)
        {
            maxLabel = Math.Max(maxLabel, l);
        }

        var count = new int[maxLabel + 1];
        var x0 = new int[maxLabel + 1];
        var y0 = new int[maxLabel + 1];
        var x1 = new int[maxLabel + 1];
        var y1 = new int[maxLabel + 1];
        Array.Fill(x0, int.MaxValue);
        Array.Fill(y0, int.MaxValue);
        Array.Fill(x1, -1);
        Array.Fill(y1, -1);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int l = labels[y * width + x];
                count[l]++;
                x0[l] = Math.Min(x0[l], x);
                y0[l] = Math.Min(y0[l], y);
                x1[l] = Math.Max(x1[l], x);
                y1[l] = Math.Max(y1[l], y);
            }
        }

        var present = Enumerable.Range(0, maxLabel + 1).Where(l => count[l] > 0).ToList();
        segmentCount = present.Count;
        present.Sort((p, q) => count[p] != count[q] ? count[q].CompareTo(count[p]) : p.CompareTo(q));
        var boxes = new List<RegionBox>(Math.Min(top, present.Count));
        foreach (int l in present.Take(top))
        {
            boxes.Add(RegionBox.FromPixels(x0[l], y0[l], x1[l] + 1, y1[l] + 1, width, height));
        }

        return boxes;
    }

    /// <summary>
    /// Proposals for every frame of <paramref name="clip"/>: each frame's label map from <paramref name="segment"/>, the
    /// boxes of its <paramref name="boxesPerFrame"/> largest segments, padded (and masked) by <see cref="RegionPadding"/>.
    /// </summary>
    /// <param name="clip">RGB24 frames.</param>
    /// <param name="boxesPerFrame">N boxes per frame.</param>
    /// <param name="segment">(rgb24, width, height) → label map <c>[H·W]</c>.</param>
    public static RegionProposals ProposeLargest(ConstCl.Video.FrameSequence clip, int boxesPerFrame, Func<byte[], int, int, int[]> segment)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var boxes = new RegionBox[clip.Count][];
        var valid = new bool[clip.Count][];
        for (int t = 0; t < clip.Count; t++)
        {
            int[] labels = segment(clip.Frames[t], clip.Width, clip.Height);
            List<RegionBox> found = Largest(labels, clip.Width, clip.Height, boxesPerFrame, out _);
            RegionPadding.Fill(found, boxesPerFrame, out boxes[t], out valid[t]);
        }

        return new RegionProposals(boxes, valid);
    }
}

namespace ConstCl.Regions;

/// <summary>The padding rule shared by all proposers (documented on <see cref="IRegionProposer"/>).</summary>
internal static class RegionPadding
{
    /// <summary>Takes the first <paramref name="count"/> of the ranked <paramref name="found"/> boxes, padding cyclically.</summary>
    public static void Fill(IReadOnlyList<RegionBox> found, int count, out RegionBox[] boxes, out bool[] valid)
    {
        boxes = new RegionBox[count];
        valid = new bool[count];
        for (int i = 0; i < count; i++)
        {
            if (found.Count == 0)
            {
                boxes[i] = RegionBox.FullFrame;
            }
            else
            {
                boxes[i] = found[i % found.Count];
                valid[i] = i < found.Count;
            }
        }
    }
}

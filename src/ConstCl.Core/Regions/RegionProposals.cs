namespace ConstCl.Regions;

/// <summary>
/// Boxes proposed for a clip: <see cref="Boxes"/> is <c>[T][N]</c> (frame, box) with the same
/// <c>N</c> for every frame, and <see cref="Valid"/> says which entries are real proposals.
/// When a frame has fewer than <c>N</c> regions, the proposer pads it (see
/// <see cref="IRegionProposer"/> for the rule) and marks the padding invalid; losses must mask
/// invalid boxes out (the official mask, spec §3.1).
/// </summary>
public sealed class RegionProposals
{
    /// <summary>Wraps boxes and their validity mask after checking that both are <c>[T][N]</c>.</summary>
    /// <param name="boxes">Boxes <c>[T][N]</c>, normalised.</param>
    /// <param name="valid">Validity <c>[T][N]</c>.</param>
    /// <exception cref="ArgumentException">The arrays are ragged or their shapes differ.</exception>
    public RegionProposals(RegionBox[][] boxes, bool[][] valid)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(valid);
        if (boxes.Length != valid.Length)
        {
            throw new ArgumentException($"valid has {valid.Length} frames; expected {boxes.Length} (one per frame of boxes).", nameof(valid));
        }

        int n = boxes.Length == 0 ? 0 : boxes[0]?.Length ?? 0;
        for (int t = 0; t < boxes.Length; t++)
        {
            if (boxes[t] is null || boxes[t].Length != n)
            {
                throw new ArgumentException($"Frame {t} has {boxes[t]?.Length ?? 0} boxes; expected {n} like frame 0.", nameof(boxes));
            }

            if (valid[t] is null || valid[t].Length != n)
            {
                throw new ArgumentException($"Frame {t} has {valid[t]?.Length ?? 0} validity flags; expected {n}.", nameof(valid));
            }
        }

        Boxes = boxes;
        Valid = valid;
        BoxesPerFrame = n;
    }

    /// <summary>Boxes <c>[T][N]</c>.</summary>
    public RegionBox[][] Boxes { get; }

    /// <summary>Validity mask <c>[T][N]</c>: false marks padding.</summary>
    public bool[][] Valid { get; }

    /// <summary>Number of frames <c>T</c>.</summary>
    public int FrameCount => Boxes.Length;

    /// <summary>Boxes per frame <c>N</c>.</summary>
    public int BoxesPerFrame { get; }

    /// <summary>
    /// The boxes as a flat row-major <c>[T, N, 4]</c> array in the official order
    /// <c>(ymin, xmin, ymax, xmax)</c> (the model's <c>positions</c> input, spec §3.1).
    /// </summary>
    public float[] ToYxyxArray()
    {
        var result = new float[FrameCount * BoxesPerFrame * 4];
        int i = 0;
        foreach (RegionBox[] frame in Boxes)
        {
            foreach (RegionBox b in frame)
            {
                result[i++] = b.Y1;
                result[i++] = b.X1;
                result[i++] = b.Y2;
                result[i++] = b.X2;
            }
        }

        return result;
    }

    /// <summary>The validity mask as a flat row-major <c>[T, N]</c> array.</summary>
    public bool[] ToValidArray()
    {
        var result = new bool[FrameCount * BoxesPerFrame];
        for (int t = 0; t < FrameCount; t++)
        {
            Array.Copy(Valid[t], 0, result, t * BoxesPerFrame, BoxesPerFrame);
        }

        return result;
    }
}

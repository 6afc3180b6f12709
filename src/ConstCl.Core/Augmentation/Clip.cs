using ConstCl.Video;

namespace ConstCl.Augmentation;

/// <summary>
/// A managed float video clip <c>[T, H, W, 3]</c>, RGB, contiguous. Values are in [0, 1] while it is
/// augmented and in [−1, 1] after the final mapping of <see cref="TwoViewAugmenter"/>.
/// </summary>
public sealed class Clip
{
    // k / 255 for every uint8 level: the one conversion used everywhere, so levels round-trip exactly.
    internal static readonly float[] LevelToUnit = BuildLevels();

    /// <summary>Creates a zero-filled clip.</summary>
    /// <param name="frames">T, positive.</param>
    /// <param name="height">H, positive.</param>
    /// <param name="width">W, positive.</param>
    public Clip(int frames, int height, int width)
        : this(frames, height, width, new float[CheckedLength(frames, height, width)])
    {
    }

    /// <summary>Wraps existing data (not copied).</summary>
    /// <param name="frames">T, positive.</param>
    /// <param name="height">H, positive.</param>
    /// <param name="width">W, positive.</param>
    /// <param name="data">Values <c>[T, H, W, 3]</c>, length <c>T·H·W·3</c>.</param>
    public Clip(int frames, int height, int width, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int expected = CheckedLength(frames, height, width);
        if (data.Length != expected)
        {
            throw new ArgumentException($"Clip data has {data.Length} values; expected {expected} ([{frames}, {height}, {width}, 3]).", nameof(data));
        }

        Frames = frames;
        Height = height;
        Width = width;
        Data = data;
    }

    /// <summary>T, the number of frames.</summary>
    public int Frames { get; }

    /// <summary>H, the frame height.</summary>
    public int Height { get; }

    /// <summary>W, the frame width.</summary>
    public int Width { get; }

    /// <summary>The values, <c>[T, H, W, 3]</c> row-major.</summary>
    public float[] Data { get; }

    /// <summary>Values per frame, <c>H·W·3</c>.</summary>
    public int FrameLength => Height * Width * 3;

    /// <summary>The values of frame <paramref name="t"/>, <c>[H, W, 3]</c>.</summary>
    /// <param name="t">Frame index in [0, T).</param>
    public Span<float> Frame(int t)
    {
        if ((uint)t >= (uint)Frames)
        {
            throw new ArgumentOutOfRangeException(nameof(t), $"Frame {t} is outside [0, {Frames}).");
        }

        return Data.AsSpan(t * FrameLength, FrameLength);
    }

    /// <summary>Converts every frame of a sequence to [0, 1] (<c>x / 255</c>).</summary>
    /// <param name="frames">RGB24 frames.</param>
    public static Clip FromFrames(FrameSequence frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return FromFrames(frames, Enumerable.Range(0, frames.Count).ToArray());
    }

    /// <summary>Converts the frames at the given positions of a sequence to [0, 1] (<c>x / 255</c>).</summary>
    /// <param name="frames">RGB24 frames.</param>
    /// <param name="positions">Positions in <paramref name="frames"/> (not source frame indices), one per output frame.</param>
    public static Clip FromFrames(FrameSequence frames, IReadOnlyList<int> positions)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            throw new ArgumentException("At least one frame position is required.", nameof(positions));
        }

        var clip = new Clip(positions.Count, frames.Height, frames.Width);
        float[] levels = LevelToUnit;
        for (int t = 0; t < positions.Count; t++)
        {
            int p = positions[t];
            if ((uint)p >= (uint)frames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(positions), $"Position {p} is outside the sequence of {frames.Count} frames.");
            }

            ReadOnlySpan<byte> src = frames.Frames[p];
            Span<float> dst = clip.Frame(t);
            for (int i = 0; i < src.Length; i++)
            {
                dst[i] = levels[src[i]];
            }
        }

        return clip;
    }

    /// <summary>A deep copy.</summary>
    public Clip Clone() => new(Frames, Height, Width, (float[])Data.Clone());

    /// <summary>A contiguous copy in the given layout.</summary>
    /// <param name="layout"><c>[T, H, W, 3]</c> or <c>[3, T, H, W]</c>.</param>
    public float[] ToArray(ClipLayout layout = ClipLayout.Thwc)
    {
        var result = new float[Data.Length];
        CopyTo(result, layout);
        return result;
    }

    /// <summary>Copies the values into <paramref name="destination"/> in the given layout (for a collator filling a batch buffer).</summary>
    /// <param name="destination">At least <c>T·H·W·3</c> values.</param>
    /// <param name="layout"><c>[T, H, W, 3]</c> or <c>[3, T, H, W]</c>.</param>
    public void CopyTo(Span<float> destination, ClipLayout layout)
    {
        if (destination.Length < Data.Length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; the clip needs {Data.Length}.", nameof(destination));
        }

        switch (layout)
        {
            case ClipLayout.Thwc:
                Data.AsSpan().CopyTo(destination);
                break;
            case ClipLayout.Cthw:
                int plane = Frames * Height * Width;
                Span<float> r = destination[..plane];
                Span<float> g = destination.Slice(plane, plane);
                Span<float> b = destination.Slice(2 * plane, plane);
                ReadOnlySpan<float> src = Data;
                for (int p = 0, i = 0; p < plane; p++, i += 3)
                {
                    r[p] = src[i];
                    g[p] = src[i + 1];
                    b[p] = src[i + 2];
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(layout), $"Unknown layout {layout}.");
        }
    }

    private static int CheckedLength(int frames, int height, int width)
    {
        if (frames <= 0 || height <= 0 || width <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(frames), $"Clip shape must be positive, got [{frames}, {height}, {width}, 3].");
        }

        return checked(frames * height * width * 3);
    }

    private static float[] BuildLevels()
    {
        var levels = new float[256];
        for (int k = 0; k < 256; k++)
        {
            levels[k] = k / 255f;
        }

        return levels;
    }
}

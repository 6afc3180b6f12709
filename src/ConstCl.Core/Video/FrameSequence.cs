namespace ConstCl.Video;

/// <summary>
/// Decoded frames of one clip or video as managed memory (never tensors): each frame is RGB24,
/// interleaved, row-major, <c>Height × Width × 3</c> bytes. Produced by the decoders and the synthetic
/// generator; consumed by sampling, augmentation and the collator.
/// </summary>
public sealed class FrameSequence
{
    /// <summary>Creates a sequence and checks that every frame has <c>height·width·3</c> bytes.</summary>
    /// <param name="frames">RGB24 frames, each <c>[H, W, 3]</c> row-major.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    /// <param name="frameIndices">Source frame index of each frame (same count as <paramref name="frames"/>); null means 0..n-1.</param>
    /// <param name="framesPerSecond">Frame rate of the source (0 when unknown).</param>
    public FrameSequence(IReadOnlyList<byte[]> frames, int width, int height, IReadOnlyList<int>? frameIndices = null, double framesPerSecond = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Frame size must be positive, got {width}×{height}.");
        }

        int expected = checked(width * height * 3);
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i] is null || frames[i].Length != expected)
            {
                throw new ArgumentException($"Frame {i} has {frames[i]?.Length ?? 0} bytes; expected {expected} (RGB24 {width}×{height}).", nameof(frames));
            }
        }

        if (frameIndices is not null && frameIndices.Count != frames.Count)
        {
            throw new ArgumentException($"frameIndices has {frameIndices.Count} entries; expected one per frame ({frames.Count}).", nameof(frameIndices));
        }

        Frames = frames;
        Width = width;
        Height = height;
        FrameIndices = frameIndices ?? Enumerable.Range(0, frames.Count).ToArray();
        FramesPerSecond = framesPerSecond;
    }

    /// <summary>The frames, RGB24 <c>[H, W, 3]</c> each.</summary>
    public IReadOnlyList<byte[]> Frames { get; }

    /// <summary>Frame width in pixels.</summary>
    public int Width { get; }

    /// <summary>Frame height in pixels.</summary>
    public int Height { get; }

    /// <summary>Index of each frame in its source video.</summary>
    public IReadOnlyList<int> FrameIndices { get; }

    /// <summary>Frames per second of the source, 0 when unknown.</summary>
    public double FramesPerSecond { get; }

    /// <summary>Number of frames.</summary>
    public int Count => Frames.Count;
}

namespace ConstCl.Sampling;

/// <summary>
/// Evaluation sampling: K linearly spaced clips of T frames at stride s, as the official
/// <c>preprocess_ops_3d.sample_linspace_sequence</c> (offsets <c>int(linspace(0, max(0, Lv − T·s), K))</c>,
/// wrapping past the end, so videos shorter than a clip repeat). With K = 1 it takes the middle clip
/// like the official <c>sample_sequence(random=False)</c>: offset <c>max(0, (Lv − T·s) / 2)</c>.
/// CVRL's linear evaluation uses 10 clips of 32 frames at stride 2.
/// </summary>
public sealed class UniformClipSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="clipCount">Clips per video, K (CVRL evaluation: 10).</param>
    /// <param name="framesPerClip">Frames per clip, T.</param>
    /// <param name="stride">Temporal stride, s.</param>
    public UniformClipSampler(int clipCount = 10, int framesPerClip = 16, int stride = 2)
    {
        if (clipCount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clipCount), $"Clip count must be positive, got {clipCount}.");
        }

        if (framesPerClip <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerClip), $"Frames per clip must be positive, got {framesPerClip}.");
        }

        if (stride <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"Stride must be positive, got {stride}.");
        }

        ClipCount = clipCount;
        FramesPerClip = framesPerClip;
        Stride = stride;
    }

    /// <summary>Clips per video, K.</summary>
    public int ClipCount { get; }

    /// <summary>Frames per clip, T.</summary>
    public int FramesPerClip { get; }

    /// <summary>Temporal stride, s.</summary>
    public int Stride { get; }

    /// <summary>Frame indices of every clip, <c>[K][T]</c>.</summary>
    /// <param name="videoLength">Number of decodable frames (positive).</param>
    public int[][] Sample(int videoLength)
    {
        int[] offsets = Offsets(videoLength);
        var clips = new int[offsets.Length][];
        for (int i = 0; i < offsets.Length; i++)
        {
            clips[i] = ClipIndices.Build(offsets[i], FramesPerClip, Stride, videoLength);
        }

        return clips;
    }

    /// <summary>First frame of each clip, before wrapping.</summary>
    internal int[] Offsets(int videoLength)
    {
        if (videoLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(videoLength), $"Video length must be positive, got {videoLength}.");
        }

        int maxOffset = Math.Max(0, videoLength - (FramesPerClip * Stride));
        var offsets = new int[ClipCount];
        if (ClipCount == 1)
        {
            offsets[0] = maxOffset / 2;
            return offsets;
        }

        // tf.linspace in float32: start + step·i, the last value exactly the stop; then truncated to int.
        float stop = maxOffset;
        float step = stop / (ClipCount - 1);
        for (int i = 0; i < ClipCount - 1; i++)
        {
            offsets[i] = (int)(step * i);
        }

        offsets[ClipCount - 1] = maxOffset;
        return offsets;
    }
}

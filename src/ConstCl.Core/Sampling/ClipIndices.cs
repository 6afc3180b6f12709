namespace ConstCl.Sampling;

/// <summary>
/// Frame indices of one clip as the official <c>_sample_or_pad_sequence_indices</c> builds them: the
/// video is tiled (repeated) until the clip fits, so an index past the end wraps modulo the length.
/// </summary>
internal static class ClipIndices
{
    /// <summary>Indices <c>(offset + i·stride) mod length</c> for <c>i = 0..frames-1</c>.</summary>
    internal static int[] Build(int offset, int frames, int stride, int length)
    {
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"Video length must be positive, got {length}.");
        }

        if (offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"Offset must be non-negative, got {offset}.");
        }

        var indices = new int[frames];
        long position = offset;
        for (int i = 0; i < frames; i++)
        {
            indices[i] = (int)(position % length);
            position += stride;
        }

        return indices;
    }
}

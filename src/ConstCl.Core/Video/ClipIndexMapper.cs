namespace ConstCl.Video;

/// <summary>Maps a requested frame index onto the decodable range according to a <see cref="ClipEndPolicy"/>.</summary>
internal static class ClipIndexMapper
{
    /// <summary>Checks that every index is non-negative; throws naming the first bad one.</summary>
    public static void Validate(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        for (int i = 0; i < indices.Count; i++)
        {
            if (indices[i] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), indices[i], $"Frame index at position {i} is negative; frame indices must be ≥ 0.");
            }
        }
    }

    /// <summary>The index actually read for <paramref name="index"/> in a video of <paramref name="count"/> decodable frames.</summary>
    public static int Map(int index, int count, ClipEndPolicy policy, string path)
    {
        if (count <= 0)
        {
            throw new VideoDecodeException(VideoErrorKind.Empty, path, "no frame decodes.");
        }

        if (index < count)
        {
            return index;
        }

        return policy switch
        {
            ClipEndPolicy.Wrap => index % count,
            ClipEndPolicy.Clamp => count - 1,
            _ => throw new VideoDecodeException(VideoErrorKind.FrameOutOfRange, path, $"frame {index} was requested but only {count} frames decode (indices 0..{count - 1})."),
        };
    }
}

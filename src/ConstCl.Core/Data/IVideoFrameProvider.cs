using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// The videos a loader reads, by index <c>0..Count−1</c>: how many frames each has and its frames at given source
/// indices, as managed RGB24 buffers (never tensors). Implementations must be safe to call from several worker
/// threads at once and must fail with <see cref="VideoDecodeException"/> for a video that cannot be read.
/// </summary>
public interface IVideoFrameProvider
{
    /// <summary>Number of videos.</summary>
    int Count { get; }

    /// <summary>A stable name of video <paramref name="index"/> (its path, or a synthetic id), used in reports and batches.</summary>
    /// <param name="index">Video index in <c>0..Count−1</c>.</param>
    string KeyOf(int index);

    /// <summary>Number of decodable frames of video <paramref name="index"/>.</summary>
    /// <param name="index">Video index in <c>0..Count−1</c>.</param>
    int CountFrames(int index);

    /// <summary>Reads the frames at <paramref name="frameIndices"/> (any order, repeats allowed; indices past the end wrap).</summary>
    /// <param name="index">Video index in <c>0..Count−1</c>.</param>
    /// <param name="frameIndices">Source frame indices, each ≥ 0.</param>
    /// <returns>One frame per requested index, in request order.</returns>
    FrameSequence ReadFrames(int index, IReadOnlyList<int> frameIndices);
}

namespace ConstCl.Video;

/// <summary>
/// One opened video (file or frame folder). An instance is NOT safe for concurrent calls: open one per thread
/// (instances on different threads are independent). Dispose it when done.
/// Obtain instances from <see cref="VideoReader.Open"/>.
/// </summary>
public interface IVideoSource : IDisposable
{
    /// <summary>The path this source reads.</summary>
    string Path { get; }

    /// <summary>Header information (native size, header frame count, nominal fps, codec).</summary>
    VideoInfo Info { get; }

    /// <summary>
    /// Number of frames that really decode. Computed by decoding once when the header cannot be trusted, then cached
    /// per file (path, size, modification time) for the process.
    /// </summary>
    int CountFrames();

    /// <summary>Decodes the whole video once and reports decodable frames, duration and frame-interval statistics.</summary>
    VideoScan Scan();

    /// <summary>
    /// Decodes the frames at <paramref name="frameIndices"/> (any order, repeats allowed) as RGB24, resized to the
    /// configured short side. Only the frames needed are decoded. Indices past the end follow <see cref="VideoDecodeOptions.EndPolicy"/>.
    /// </summary>
    /// <param name="frameIndices">Source frame indices, each ≥ 0.</param>
    /// <returns>One frame per requested index, in request order; <see cref="FrameSequence.FrameIndices"/> holds the indices actually read.</returns>
    FrameSequence ReadFrames(IReadOnlyList<int> frameIndices);
}

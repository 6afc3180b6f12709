namespace ConstCl.Video;

/// <summary>
/// Facts established by decoding a whole video once: how many frames really decode and how far apart their
/// timestamps are. Produced by <see cref="IVideoSource.Scan"/>.
/// </summary>
/// <param name="Info">The header information.</param>
/// <param name="DecodableFrames">Frames that actually decode (trust this over <see cref="VideoInfo.HeaderFrameCount"/>).</param>
/// <param name="DurationSeconds">Last frame's timestamp plus one typical frame interval; from the frame rate when timestamps are missing.</param>
/// <param name="MinFrameIntervalSeconds">Smallest gap between consecutive frame timestamps (0 when fewer than two frames or no timestamps).</param>
/// <param name="MaxFrameIntervalSeconds">Largest gap between consecutive frame timestamps.</param>
/// <param name="IsVariableFrameRate">True when the gaps differ by more than 10 % of the smallest gap and 1 ms.</param>
/// <param name="GrabFailures">Grabs that failed and were skipped mid-stream (bad slices tolerated).</param>
public sealed record VideoScan(
    VideoInfo Info,
    int DecodableFrames,
    double DurationSeconds,
    double MinFrameIntervalSeconds,
    double MaxFrameIntervalSeconds,
    bool IsVariableFrameRate,
    int GrabFailures)
{
    /// <summary>Average frame rate over the decoded frames (<c>DecodableFrames / DurationSeconds</c>), 0 when unknown.</summary>
    public double AverageFramesPerSecond => DurationSeconds > 0 ? DecodableFrames / DurationSeconds : 0;

    /// <summary>True when the header claims a different frame count from what decodes.</summary>
    public bool HeaderFrameCountDiffers => Info.HeaderFrameCount > 0 && Info.HeaderFrameCount != DecodableFrames;
}

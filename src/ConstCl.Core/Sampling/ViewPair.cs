namespace ConstCl.Sampling;

/// <summary>
/// The frame indices of the two views of one pre-training sample (CVRL temporal-interval sampling).
/// They travel with the sample: key-frame and memory strategies need to know where each view lies.
/// </summary>
/// <param name="View1Frames">Source frame index of each frame of view 1, <c>[T]</c> (wrapped modulo the video length).</param>
/// <param name="View2Frames">Source frame index of each frame of view 2, <c>[T]</c>.</param>
/// <param name="View1Offset">First frame of view 1 before wrapping.</param>
/// <param name="View2Offset">First frame of view 2 before wrapping.</param>
/// <param name="Gap">
/// The interval δ drawn from the decreasing distribution. For a long video <c>|View1Offset − View2Offset| = Gap</c>;
/// for a short video (length ≤ span) the official code draws the offsets independently and δ is unused.
/// </param>
/// <param name="IsShortVideo">True when the video was not longer than the clip span, so offsets were drawn independently.</param>
/// <param name="VideoLength">Number of frames of the video the pair was sampled from.</param>
public sealed record ViewPair(
    IReadOnlyList<int> View1Frames,
    IReadOnlyList<int> View2Frames,
    int View1Offset,
    int View2Offset,
    int Gap,
    bool IsShortVideo,
    int VideoLength)
{
    /// <summary>Frame times in seconds of view 1 for a video at <paramref name="framesPerSecond"/>.</summary>
    /// <param name="framesPerSecond">Frame rate of the source (must be positive).</param>
    public double[] View1Seconds(double framesPerSecond) => ToSeconds(View1Frames, framesPerSecond);

    /// <summary>Frame times in seconds of view 2 for a video at <paramref name="framesPerSecond"/>.</summary>
    /// <param name="framesPerSecond">Frame rate of the source (must be positive).</param>
    public double[] View2Seconds(double framesPerSecond) => ToSeconds(View2Frames, framesPerSecond);

    private static double[] ToSeconds(IReadOnlyList<int> frames, double framesPerSecond)
    {
        if (!(framesPerSecond > 0) || double.IsInfinity(framesPerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerSecond), $"Frame rate must be positive and finite, got {framesPerSecond}.");
        }

        var seconds = new double[frames.Count];
        for (int i = 0; i < seconds.Length; i++)
        {
            seconds[i] = frames[i] / framesPerSecond;
        }

        return seconds;
    }
}

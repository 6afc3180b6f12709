using ConstCl.Modeling;

namespace ConstCl.Data;

/// <summary>
/// One pre-training sample as managed arrays, built on a worker thread and turned into tensors only by
/// <see cref="BatchCollator"/> on the training thread. <see cref="Create"/> makes the sample the loader would make of one
/// video, to look at what the model is shown (<c>constcl show-views</c> draws one).
/// </summary>
/// <param name="VideoIndex">Index of the video in the provider.</param>
/// <param name="VideoKey">Path or synthetic id of the video.</param>
/// <param name="Frames">T, frames per view.</param>
/// <param name="Size">H = W of each view.</param>
/// <param name="BoxesPerFrame">N.</param>
/// <param name="ViewA">View 1, <c>[3, T, H, W]</c> in [−1, 1].</param>
/// <param name="ViewB">View 2, <c>[3, T, H, W]</c>.</param>
/// <param name="BoxesA">View 1's boxes, <c>[T, N, 4]</c> normalised (x1, y1, x2, y2) in the augmented frame.</param>
/// <param name="BoxesB">View 2's boxes, <c>[T, N, 4]</c>.</param>
/// <param name="MaskA">View 1's valid boxes, <c>[T, N]</c>.</param>
/// <param name="MaskB">View 2's valid boxes, <c>[T, N]</c>.</param>
/// <param name="FrameTimesA">Source frame index of each frame of view 1, <c>[T]</c>.</param>
/// <param name="FrameTimesB">Source frame index of each frame of view 2, <c>[T]</c>.</param>
public sealed record TwoViewSample(
    int VideoIndex,
    string VideoKey,
    int Frames,
    int Size,
    int BoxesPerFrame,
    float[] ViewA,
    float[] ViewB,
    float[] BoxesA,
    float[] BoxesB,
    bool[] MaskA,
    bool[] MaskB,
    long[] FrameTimesA,
    long[] FrameTimesB)
{
    /// <summary>
    /// The sample of video <paramref name="videoIndex"/> as the pre-training loader builds it: CVRL two-view sampling,
    /// decoding of the frames the views need, the two-view augmentation and the region boxes of
    /// <paramref name="options"/>; every random draw comes from <paramref name="random"/>.
    /// </summary>
    /// <param name="provider">The videos (e.g. a <see cref="FileFrameProvider"/> over one path).</param>
    /// <param name="videoIndex">Which video of <paramref name="provider"/>.</param>
    /// <param name="options">Clip length, size, augmentation and region proposer (validated here).</param>
    /// <param name="random">The generator of every draw.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="videoIndex"/> is outside [0, provider.Count).</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> are not valid.</exception>
    /// <exception cref="Video.VideoDecodeException">The video cannot be decoded.</exception>
    public static TwoViewSample Create(IVideoFrameProvider provider, int videoIndex, LoaderOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(videoIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(videoIndex, provider.Count);
        return new TwoViewSampleBuilder(provider, options).Build(videoIndex, random);
    }

    /// <summary>
    /// The key frames the <see cref="KeyFrameStrategy.Nearest"/> strategy matches across the two views: the frame pair
    /// whose source frames are closest, ties broken towards the clip centres.
    /// </summary>
    /// <returns>Indices in [0, <see cref="Frames"/>) into view A and view B.</returns>
    public (int A, int B) NearestKeyFrames()
    {
        var (a, b) = KeyFrameSelector.Nearest(FrameTimesA, FrameTimesB);
        return ((int)a, (int)b);
    }
}

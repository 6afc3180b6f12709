namespace ConstCl.Data;

/// <summary>
/// One pre-training sample as managed arrays, built on a worker thread and turned into tensors only by
/// <see cref="BatchCollator"/> on the training thread.
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
internal sealed record TwoViewSample(
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
    long[] FrameTimesB);

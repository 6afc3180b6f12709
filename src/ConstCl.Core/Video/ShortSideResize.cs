using System.Runtime.InteropServices;
using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>
/// Resizes frames already in memory exactly as the decoders do for <see cref="VideoDecodeOptions.ShortSide"/>: short side
/// to S, long side rounded (<see cref="FrameConverter.TargetSize"/>), OpenCV <c>INTER_AREA</c> when shrinking in
/// <see cref="FrameResizeMode.Area"/> mode, <c>INTER_LINEAR</c> otherwise. A file decoded with <c>ShortSide = S</c> and the
/// same video rendered in memory then resized here give the same bytes.
/// </summary>
internal static class ShortSideResize
{
    /// <summary><c>[H, W, 3]</c> frames → <c>[H′, W′, 3]</c> with <c>min(H′, W′) = S</c>; the sequence itself when it already has that size.</summary>
    public static FrameSequence Apply(FrameSequence video, int shortSide, FrameResizeMode mode)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentOutOfRangeException.ThrowIfLessThan(shortSide, 1);
        var (w, h) = FrameConverter.TargetSize(video.Width, video.Height, shortSide);
        if (w == video.Width && h == video.Height)
        {
            return video;
        }

        var interpolation = FrameConverter.InterpolationFor(mode, video.Width, video.Height, w, h);
        var frames = new byte[video.Count][];
        using var resized = new Mat();
        for (int i = 0; i < video.Count; i++)
        {
            using var source = Mat.FromPixelData(video.Height, video.Width, MatType.CV_8UC3, video.Frames[i]);
            Cv2.Resize(source, resized, new Size(w, h), 0, 0, interpolation);
            frames[i] = new byte[w * h * 3];
            Marshal.Copy(resized.Data, frames[i], 0, frames[i].Length);   // a fresh resize output is continuous
        }

        return new FrameSequence(frames, w, h, video.FrameIndices, video.FramesPerSecond);
    }
}

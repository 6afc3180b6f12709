using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>Turns a decoded OpenCV frame (BGR, BGRA or gray) into a managed RGB24 buffer at the configured short side.</summary>
internal sealed class FrameConverter : IDisposable
{
    private readonly int _shortSide;
    private readonly FrameResizeMode _mode;
    private readonly Mat _resized = new();

    public FrameConverter(int shortSide, FrameResizeMode mode)
    {
        _shortSide = shortSide;
        _mode = mode;
    }

    /// <summary>Output size for a native <paramref name="width"/> × <paramref name="height"/> frame: short side = S, long side rounded.</summary>
    public static (int Width, int Height) TargetSize(int width, int height, int shortSide)
    {
        if (shortSide <= 0 || width <= 0 || height <= 0)
        {
            return (width, height);
        }

        if (width <= height)
        {
            return (shortSide, Math.Max(1, (int)Math.Round((double)height * shortSide / width, MidpointRounding.AwayFromZero)));
        }

        return (Math.Max(1, (int)Math.Round((double)width * shortSide / height, MidpointRounding.AwayFromZero)), shortSide);
    }

    /// <summary>Converts <paramref name="frame"/>; returns the RGB24 bytes and the output size.</summary>
    public (byte[] Rgb, int Width, int Height) Convert(Mat frame)
    {
        var resized = Resize(frame);
        return (ToRgb(resized), resized.Width, resized.Height);
    }

    /// <summary>
    /// First step of <see cref="Convert"/>: the frame at the output size, still in the decoder's channel order. Returns
    /// <paramref name="frame"/> itself when no resize is needed, else a buffer owned (and reused) by this converter.
    /// </summary>
    internal Mat Resize(Mat frame)
    {
        var (w, h) = TargetSize(frame.Width, frame.Height, _shortSide);
        if (w == frame.Width && h == frame.Height)
        {
            return frame;
        }

        Cv2.Resize(frame, _resized, new Size(w, h), 0, 0, InterpolationFor(_mode, frame.Width, frame.Height, w, h));
        return _resized;
    }

    /// <summary>
    /// The OpenCV interpolation every resize of decoded frames uses: <c>INTER_AREA</c> for <see cref="FrameResizeMode.Area"/>
    /// when either side shrinks, otherwise <c>INTER_LINEAR</c>.
    /// </summary>
    internal static InterpolationFlags InterpolationFor(FrameResizeMode mode, int width, int height, int targetWidth, int targetHeight) =>
        mode == FrameResizeMode.Area && (targetWidth < width || targetHeight < height) ? InterpolationFlags.Area : InterpolationFlags.Linear;

    /// <summary>Second step of <see cref="Convert"/>: a new managed RGB24 buffer <c>[H, W, 3]</c> holding <paramref name="source"/> (BGR, BGRA or gray, 8-bit).</summary>
    internal static byte[] ToRgb(Mat source)
    {
        var code = source.Channels() switch
        {
            1 => ColorConversionCodes.GRAY2RGB,
            4 => ColorConversionCodes.BGRA2RGB,
            3 => ColorConversionCodes.BGR2RGB,
            int c => throw new InvalidOperationException($"Decoded frame has {c} channels; expected 1, 3 or 4."),
        };
        if (source.Depth() != MatType.CV_8U)
        {
            throw new InvalidOperationException($"Decoded frame has pixel depth {source.Depth()}; expected 8-bit.");
        }

        int w = source.Width, h = source.Height;

        // Every byte is written by the conversion below, so the buffer is not zeroed first (at 320×240 it is a
        // 230 KB large-object allocation per frame).
        var bytes = GC.AllocateUninitializedArray<byte>(checked(w * h * 3));

        // Convert straight into the managed buffer (pinned for the call): one pass, no intermediate copy.
        unsafe
        {
            fixed (byte* p = bytes)
            {
                using var target = Mat.FromPixelData(h, w, MatType.CV_8UC3, (IntPtr)p);
                Cv2.CvtColor(source, target, code);
                if (target.Data != (IntPtr)p)
                {
                    throw new InvalidOperationException("OpenCV reallocated the destination of the colour conversion.");
                }
            }
        }

        return bytes;
    }

    public void Dispose()
    {
        _resized.Dispose();
    }
}

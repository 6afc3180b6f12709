using OpenCvSharp;

namespace ConstCl.Video.Ffmpeg;

/// <summary>
/// Turns a decoded <c>AVFrame</c> (any pixel format) into a managed RGB24 buffer at the configured short side. At the
/// native size, libswscale converts straight into the (pinned) managed buffer in one pass. When resizing, libswscale
/// converts into a reused native RGB24 buffer and OpenCV resizes it into the managed buffer with the same interpolation
/// as the OpenCV back-end (<see cref="FrameConverter"/>), so both back-ends resize alike. Owns its swscale context.
/// </summary>
internal sealed unsafe class FfmpegFrameConverter : IDisposable
{
    private readonly FfmpegLibrary _lib;
    private readonly int _shortSide;
    private readonly FrameResizeMode _mode;
    private readonly FfmpegHandle _scale;
    private readonly Mat _native = new();

    public FfmpegFrameConverter(FfmpegLibrary lib, int shortSide, FrameResizeMode mode)
    {
        _lib = lib;
        _shortSide = shortSide;
        _mode = mode;
        _scale = new FfmpegHandle(lib, FfmpegHandleKind.ScaleContext, IntPtr.Zero);
    }

    /// <summary>Converts <paramref name="frame"/>; returns a new RGB24 buffer and its size.</summary>
    public (byte[] Rgb, int Width, int Height) Convert(IntPtr frame)
    {
        int w = FfmpegAbi.FrameWidthOf(frame), h = FfmpegAbi.FrameHeightOf(frame);
        if (w <= 0 || h <= 0)
        {
            throw new InvalidOperationException($"The decoded frame has no size ({w}×{h}).");
        }

        var (tw, th) = FrameConverter.TargetSize(w, h, _shortSide);

        // Every byte is written below, so the buffer is not zeroed first.
        var bytes = GC.AllocateUninitializedArray<byte>(checked(tw * th * 3));
        if (tw == w && th == h)
        {
            fixed (byte* p = bytes)
            {
                ToRgb(frame, w, h, p, w * 3);
            }

            return (bytes, w, h);
        }

        _native.Create(h, w, MatType.CV_8UC3);
        ToRgb(frame, w, h, (byte*)_native.Data, checked((int)_native.Step()));
        var interpolation = FrameConverter.InterpolationFor(_mode, w, h, tw, th);
        fixed (byte* p = bytes)
        {
            using var target = Mat.FromPixelData(th, tw, MatType.CV_8UC3, (IntPtr)p);
            Cv2.Resize(_native, target, new OpenCvSharp.Size(tw, th), 0, 0, interpolation);
            if (target.Data != (IntPtr)p)
            {
                throw new InvalidOperationException("OpenCV reallocated the destination of the resize.");
            }
        }

        return (bytes, tw, th);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _scale.Dispose();
        _native.Dispose();
    }

    /// <summary>Converts the whole frame to RGB24 at its own size into <paramref name="destination"/> (stride in bytes).</summary>
    private void ToRgb(IntPtr frame, int w, int h, byte* destination, int stride)
    {
        int format = FfmpegAbi.FramePixelFormat(frame);
        IntPtr old = _scale.IsInvalid ? IntPtr.Zero : _scale.Pointer;

        // Same size: no scaling filter is applied; the flags only matter for chroma upsampling (the ffmpeg program's default).
        IntPtr ctx = _lib.sws_getCachedContext(old, w, h, format, w, h, FfmpegAbi.PixelFormatRgb24, FfmpegAbi.SwsBicubic, IntPtr.Zero, IntPtr.Zero, null);
        if (ctx == IntPtr.Zero)
        {
            // sws_getCachedContext has freed the old context.
            _scale.ReplaceScaleContext(IntPtr.Zero);
            throw new InvalidOperationException($"libswscale cannot convert pixel format {format} ({w}×{h}) to RGB24.");
        }

        _scale.ReplaceScaleContext(ctx);
        byte** dst = stackalloc byte*[4];
        int* dstStride = stackalloc int[4];
        dst[0] = destination;
        dstStride[0] = stride;
        int rows = _lib.sws_scale(ctx, FfmpegAbi.FramePlanes(frame), FfmpegAbi.FrameStrides(frame), 0, h, dst, dstStride);
        if (rows != h)
        {
            throw new InvalidOperationException($"libswscale converted {rows} of {h} rows.");
        }
    }
}

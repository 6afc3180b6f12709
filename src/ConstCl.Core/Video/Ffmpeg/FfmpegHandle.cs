using System.Runtime.InteropServices;

namespace ConstCl.Video.Ffmpeg;

/// <summary>
/// Owns one native FFmpeg object and frees it exactly once with the matching free function (see
/// <see cref="FfmpegHandleKind"/>), also when the owner is never disposed (finalizer of <see cref="SafeHandle"/>).
/// </summary>
internal sealed unsafe class FfmpegHandle : SafeHandle
{
    private readonly FfmpegLibrary _lib;

    public FfmpegHandle(FfmpegLibrary lib, FfmpegHandleKind kind, IntPtr pointer)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _lib = lib;
        Kind = kind;
        SetHandle(pointer);
    }

    /// <summary>What is owned.</summary>
    public FfmpegHandleKind Kind { get; }

    /// <summary>The native pointer (valid while the handle is neither closed nor released).</summary>
    public IntPtr Pointer
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return handle;
        }
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Replaces the owned <c>SwsContext</c> (<c>sws_getCachedContext</c> frees the old one when it returns a new one).</summary>
    public void ReplaceScaleContext(IntPtr pointer)
    {
        if (Kind != FfmpegHandleKind.ScaleContext)
        {
            throw new InvalidOperationException("Only a scale context can be replaced.");
        }

        SetHandle(pointer);
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        IntPtr p = handle;
        switch (Kind)
        {
            case FfmpegHandleKind.FormatContext:
                _lib.avformat_close_input(&p);
                break;
            case FfmpegHandleKind.CodecContext:
                _lib.avcodec_free_context(&p);
                break;
            case FfmpegHandleKind.Packet:
                _lib.av_packet_free(&p);
                break;
            case FfmpegHandleKind.Frame:
                _lib.av_frame_free(&p);
                break;
            case FfmpegHandleKind.ScaleContext:
                _lib.sws_freeContext(p);
                break;
        }

        handle = IntPtr.Zero;
        return true;
    }
}

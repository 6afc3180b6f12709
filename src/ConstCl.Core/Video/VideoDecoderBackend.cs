namespace ConstCl.Video;

/// <summary>Which decoder reads video files (frame folders are always read as images). See docs/video.md.</summary>
public enum VideoDecoderBackend
{
    /// <summary>
    /// The system FFmpeg when its libraries load (the faster back-end, measured), otherwise OpenCV's bundled FFmpeg
    /// with a one-line notice on standard error (once per process). The default.
    /// </summary>
    Auto = 0,

    /// <summary>OpenCV's bundled FFmpeg (OpenCvSharp4's native runtime): no system package beyond its own needs.</summary>
    OpenCv = 1,

    /// <summary>
    /// The system's FFmpeg libraries (libavformat 59, libavcodec 59, libavutil 57, libswscale 6: FFmpeg 5.1 as in
    /// Debian 12), called in-process. Opening a video throws <see cref="NotSupportedException"/> when they are missing
    /// or of another major version.
    /// </summary>
    Ffmpeg = 2,
}

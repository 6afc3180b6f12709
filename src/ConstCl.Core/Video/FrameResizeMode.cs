namespace ConstCl.Video;

/// <summary>Interpolation used when frames are resized while decoding.</summary>
public enum FrameResizeMode
{
    /// <summary>Pixel-area averaging (OpenCV <c>INTER_AREA</c>): best when shrinking, which is the usual case. Enlarging falls back to bilinear.</summary>
    Area,

    /// <summary>Bilinear (OpenCV <c>INTER_LINEAR</c>): faster, aliases when shrinking by more than 2×.</summary>
    Linear,
}

namespace ConstCl.Video;

/// <summary>What the first bytes and the top-level structure of a file say about it (no decoding).</summary>
/// <param name="Format">Container family (<c>avi</c>, <c>mp4</c>, <c>matroska</c>, <c>mpeg-ps</c>, …), an image type (<c>png</c>, <c>jpeg</c>, …) or <c>unknown</c>.</param>
/// <param name="IsVideoContainer">True for a known video container or elementary stream.</param>
/// <param name="IsImage">True when the bytes are a still image.</param>
/// <param name="TruncationDetail">Non-null when the structure announces more bytes than the file holds (or lacks its index); says what is missing.</param>
/// <param name="StreamFourCC">The video stream's FourCC from an AVI header, null otherwise.</param>
internal sealed record ContainerProbe(string Format, bool IsVideoContainer, bool IsImage, string? TruncationDetail, string? StreamFourCC)
{
    /// <summary>Whether frame-index seeking through <c>PosFrames</c> was verified frame-exact for this container (see docs/video.md).</summary>
    public bool SeekVerified => Format is "avi" or "mp4" or "matroska";
}

namespace ConstCl.Video;

/// <summary>Why a video could not be decoded; carried by <see cref="VideoDecodeException"/> and the skip report.</summary>
public enum VideoErrorKind
{
    /// <summary>The file or frame folder does not exist.</summary>
    Missing,

    /// <summary>The file has zero bytes, or the frame folder holds no image files.</summary>
    Empty,

    /// <summary>The content is not a video container (random bytes, an image or text under a video extension).</summary>
    NotAVideo,

    /// <summary>The container is cut short: its structure announces more bytes than the file holds and nothing (or not enough) decodes.</summary>
    Truncated,

    /// <summary>The container was recognised but no decoder in the bundled FFmpeg opens its video stream.</summary>
    UnsupportedCodec,

    /// <summary>Decoding took longer than <see cref="VideoDecodeOptions.TimeLimit"/>; the decoder was abandoned.</summary>
    Timeout,

    /// <summary>The file exists but cannot be read (permissions, I/O error) or a frame failed to decode beyond the retry budget.</summary>
    Unreadable,

    /// <summary>A requested frame index lies outside the decodable frames and the policy is <see cref="ClipEndPolicy.Throw"/>.</summary>
    FrameOutOfRange,
}

namespace ConstCl.Video;

/// <summary>What a clip request does with frame indices at or past the number of decodable frames.</summary>
public enum ClipEndPolicy
{
    /// <summary>Index <c>i</c> reads frame <c>i mod N</c> (CVRL-style looping of short videos). The default.</summary>
    Wrap,

    /// <summary>Index <c>i</c> reads frame <c>min(i, N - 1)</c> (repeat the last frame).</summary>
    Clamp,

    /// <summary>Throw <see cref="VideoDecodeException"/> with <see cref="VideoErrorKind.FrameOutOfRange"/>.</summary>
    Throw,
}

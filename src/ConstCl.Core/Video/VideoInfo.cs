namespace ConstCl.Video;

/// <summary>
/// What a video's header says, read when it is opened (cheap: opening decodes at most the first two frames, as a check).
/// Header counts can lie; <see cref="IVideoSource.Scan"/> gives the decodable truth.
/// </summary>
/// <param name="Path">The video file or frame folder.</param>
/// <param name="Container">Container family detected from the file's bytes (<c>avi</c>, <c>mp4</c>, <c>matroska</c>, <c>mpeg-ps</c>, <c>frames</c>, …).</param>
/// <param name="Codec">FourCC or codec tag reported by the decoder (e.g. <c>FMP4</c>, <c>h264</c>, <c>MJPG</c>); <c>png</c>/<c>jpeg</c> for frame folders.</param>
/// <param name="Width">Native frame width in pixels.</param>
/// <param name="Height">Native frame height in pixels.</param>
/// <param name="HeaderFrameCount">Frame count claimed by the container (0 when it does not say).</param>
/// <param name="FramesPerSecond">Nominal frame rate from the header (0 when unknown).</param>
public sealed record VideoInfo(string Path, string Container, string Codec, int Width, int Height, int HeaderFrameCount, double FramesPerSecond)
{
    /// <summary>Duration implied by the header (<c>HeaderFrameCount / FramesPerSecond</c>), 0 when unknown.</summary>
    public double HeaderDurationSeconds => FramesPerSecond > 0 ? HeaderFrameCount / FramesPerSecond : 0;
}

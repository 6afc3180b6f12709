using ConstCl.Video;

namespace ConstCl.Cli.Pictures;

/// <summary>Frames of video files for the pictures, decoded small (short side = the cell size) so a sheet of many videos stays cheap.</summary>
internal static class VideoThumbnails
{
    /// <summary>The centred square of the middle frame of <paramref name="path"/>, or null when the video cannot be decoded.</summary>
    /// <param name="path">A video file or frame folder.</param>
    /// <param name="side">Short side to decode at.</param>
    internal static Thumbnail? MiddleFrame(string path, int side)
    {
        try
        {
            var options = new VideoDecodeOptions { ShortSide = side };
            using var source = VideoReader.Open(path, options);
            int count = source.CountFrames();
            if (count <= 0)
            {
                return null;
            }

            var frames = source.ReadFrames([count / 2]);
            return new Thumbnail(frames.Frames[0], frames.Width, frames.Height).CentreSquare();
        }
        catch (Exception e) when (e is VideoDecodeException or IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

using ConstCl.Video;
using OpenCvSharp;

namespace ConstCl.Datasets;

/// <summary>Writes frames to a video file with OpenCV (in-process; no external program).</summary>
internal static class VideoFileWriter
{
    /// <summary>
    /// Writes an MJPG AVI (every frame a key frame, so any frame can be sought exactly) atomically:
    /// temporary file in the same folder with the same extension (OpenCV picks the container from it), then rename.
    /// </summary>
    internal static void WriteMjpegAvi(string path, FrameSequence frames, double framesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0)
        {
            throw new ArgumentException($"No frames to write to '{path}'.", nameof(frames));
        }

        string tmp = AtomicFile.TempPathFor(path);
        try
        {
            var size = new Size(frames.Width, frames.Height);
            double fps = framesPerSecond > 0 ? framesPerSecond : 25;
            // OpenCV's own MJPEG muxer first: no FFmpeg needed, honours the quality setting.
            var writer = new VideoWriter(tmp, VideoCaptureAPIs.OPENCV_MJPEG, FourCC.FromString("MJPG"), fps, size, isColor: true);
            if (!writer.IsOpened())
            {
                writer.Dispose();
                writer = new VideoWriter(tmp, FourCC.FromString("MJPG"), fps, size, isColor: true);
            }

            using (writer)
            {
                if (!writer.IsOpened())
                {
                    throw new IOException($"OpenCV could not open a video writer (fourcc MJPG, {frames.Width}×{frames.Height}) for '{path}'.");
                }

                writer.Set(VideoWriterProperties.Quality, 95);
                using var bgr = new Mat(frames.Height, frames.Width, MatType.CV_8UC3);
                foreach (byte[] rgb in frames.Frames)
                {
                    using Mat src = Mat.FromPixelData(frames.Height, frames.Width, MatType.CV_8UC3, rgb);
                    Cv2.CvtColor(src, bgr, ColorConversionCodes.RGB2BGR);
                    writer.Write(bgr);
                }
            }

            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}

using System.Runtime.InteropServices;
using ConstCl.Video;
using OpenCvSharp;

namespace ConstCl.Core.Tests.Video;

/// <summary>
/// The converter writes straight into uninitialised managed buffers (no zeroing, no per-pixel loop); these tests pin
/// its output to a brute-force per-pixel BGR→RGB swap of what OpenCV decoded, on a colourful XviD video.
/// </summary>
public sealed class FrameConverterTests : IDisposable
{
    private const int Frames = 12;
    private readonly string _dir = TestVideos.NewTempDir();
    private readonly string _video;

    public FrameConverterTests()
    {
        // Colour gradients that move per frame: every channel differs from the others, so a wrong channel order shows.
        _video = Path.Combine(_dir, "colour.avi");
        using var writer = new VideoWriter(_video, VideoCaptureAPIs.FFMPEG, FourCC.FromString("XVID"), 25, new Size(TestVideos.Width, TestVideos.Height), true);
        Assert.True(writer.IsOpened());
        for (int i = 0; i < Frames; i++)
        {
            using var m = new Mat(TestVideos.Height, TestVideos.Width, MatType.CV_8UC3);
            for (int y = 0; y < TestVideos.Height; y++)
            {
                for (int x = 0; x < TestVideos.Width; x++)
                {
                    m.Set(y, x, new Vec3b((byte)(x * 4), (byte)((y * 5) + (i * 7)), (byte)(255 - (x * 2) - y)));
                }
            }

            writer.Write(m);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(0, FrameResizeMode.Area)]     // native 64×48
    [InlineData(24, FrameResizeMode.Area)]    // shrink to 32×24 (area)
    [InlineData(30, FrameResizeMode.Area)]    // shrink by a non-integer factor (40×30)
    [InlineData(96, FrameResizeMode.Linear)]  // enlarge to 128×96 (bilinear)
    public void Reader_frames_equal_a_per_pixel_swap_of_the_decoded_bgr_frames(int shortSide, FrameResizeMode mode)
    {
        // The OpenCV back-end's converter is what is pinned here (the system FFmpeg back-end is compared in FfmpegBackendTests).
        var options = new VideoDecodeOptions { ShortSide = shortSide, ResizeMode = mode, Decoder = VideoDecoderBackend.OpenCv };
        var clip = VideoReader.ReadClip(_video, Enumerable.Range(0, Frames).ToArray(), options);

        using var capture = new VideoCapture(_video, VideoCaptureAPIs.FFMPEG);
        using var bgr = new Mat();
        using var sized = new Mat();
        var (w, h) = FrameConverter.TargetSize(TestVideos.Width, TestVideos.Height, shortSide);
        Assert.Equal((w, h), (clip.Width, clip.Height));
        for (int i = 0; i < Frames; i++)
        {
            Assert.True(capture.Read(bgr));
            var source = bgr;
            if (shortSide > 0)
            {
                var interpolation = mode == FrameResizeMode.Area && w < bgr.Width ? InterpolationFlags.Area : InterpolationFlags.Linear;
                Cv2.Resize(bgr, sized, new Size(w, h), 0, 0, interpolation);
                source = sized;
            }

            Assert.Equal(PerPixelRgb(source), clip.Frames[i]);
        }
    }

    [Fact]
    public void ToRgb_handles_gray_and_bgra_frames_and_rejects_other_depths()
    {
        using var gray = new Mat(2, 3, MatType.CV_8UC1, new Scalar(77));
        Assert.Equal(Enumerable.Repeat((byte)77, 2 * 3 * 3), FrameConverter.ToRgb(gray));

        using var bgra = new Mat(1, 2, MatType.CV_8UC4, new Scalar(10, 20, 30, 40));
        Assert.Equal(new byte[] { 30, 20, 10, 30, 20, 10 }, FrameConverter.ToRgb(bgra));

        using var shorts = new Mat(1, 1, MatType.CV_16UC3, new Scalar(1, 2, 3));
        Assert.Throws<InvalidOperationException>(() => FrameConverter.ToRgb(shorts));
    }

    /// <summary>The reference: copy the BGR bytes out and swap channels one pixel at a time.</summary>
    private static byte[] PerPixelRgb(Mat bgr)
    {
        Assert.Equal(MatType.CV_8UC3, bgr.Type());
        int w = bgr.Width, h = bgr.Height;
        var row = new byte[w * 3];
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
        {
            Marshal.Copy(bgr.Ptr(y), row, 0, row.Length);
            for (int x = 0; x < w; x++)
            {
                int o = ((y * w) + x) * 3;
                rgb[o] = row[(x * 3) + 2];
                rgb[o + 1] = row[(x * 3) + 1];
                rgb[o + 2] = row[x * 3];
            }
        }

        return rgb;
    }
}

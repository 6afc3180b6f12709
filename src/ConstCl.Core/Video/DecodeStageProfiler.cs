using System.Diagnostics;
using OpenCvSharp;

namespace ConstCl.Video;

/// <summary>
/// Where the time of decoding a video with the OpenCV back-end goes: times whole sequential passes that stop after
/// successive stages (FFmpeg decode only; + OpenCV's YUV→BGR conversion; + resize; + BGR→RGB into a managed buffer,
/// which is what <see cref="IVideoSource.ReadFrames"/> does per frame). Used by <c>constcl bench decode --stages</c>.
/// </summary>
public static class DecodeStageProfiler
{
    /// <summary>
    /// Times <paramref name="repeats"/> passes of each stage over every frame of <paramref name="path"/> (stages
    /// interleaved, so machine noise spreads evenly) and returns the cumulative stages, medians per frame. The resize
    /// stage is present only when <paramref name="options"/> resizes this video.
    /// </summary>
    /// <param name="path">The video file.</param>
    /// <param name="options">Decode options (short side, resize mode, decoder threads) as the reader would use them.</param>
    /// <param name="repeats">Timed passes per stage (at least 1).</param>
    /// <returns>The stages in order, each with the cost per frame of all stages up to it.</returns>
    /// <exception cref="VideoDecodeException">The file cannot be opened or no frame decodes.</exception>
    public static IReadOnlyList<DecodeStage> Measure(string path, VideoDecodeOptions options, int repeats)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        options.Validate();
        VideoInfo info;
        using (var check = OpenCvVideoSource.Open(path, options))
        {
            info = check.Info; // classifies unreadable files with the usual errors before any timing
        }

        bool resizes = FrameConverter.TargetSize(info.Width, info.Height, options.ShortSide) != (info.Width, info.Height);
        var stages = new List<(string Name, string Description, int Depth)>
        {
            ("grab", "FFmpeg demux + decode (VideoCapture.Grab), no colour conversion", 0),
            ("retrieve", "+ OpenCV's YUV→BGR conversion (swscale) and copy into a Mat (VideoCapture.Retrieve)", 1),
        };
        if (resizes)
        {
            stages.Add(("resize", $"+ resize to short side {options.ShortSide} ({options.ResizeMode})", 2));
        }

        stages.Add(("rgb", "+ BGR→RGB into a new managed buffer (FrameConverter.ToRgb): what ReadFrames returns", 3));

        var cpu = stages.Select(_ => new List<double>()).ToArray();
        var wall = stages.Select(_ => new List<double>()).ToArray();
        int frames = 0;
        using var self = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            for (int s = 0; s < stages.Count; s++)
            {
                self.Refresh();
                var cpu0 = self.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                frames = Pass(path, options, stages[s].Depth);
                double seconds = clock.Elapsed.TotalSeconds;
                self.Refresh();
                cpu[s].Add((self.TotalProcessorTime - cpu0).TotalMilliseconds / Math.Max(1, frames));
                wall[s].Add(seconds * 1000 / Math.Max(1, frames));
            }
        }

        return stages.Select((st, s) => new DecodeStage(st.Name, st.Description, frames, Median(cpu[s]), Median(wall[s]))).ToArray();
    }

    /// <summary>Decodes every frame, doing the work of stages 0..<paramref name="depth"/>; returns the frame count.</summary>
    private static int Pass(string path, VideoDecodeOptions options, int depth)
    {
        using var capture = OpenCvVideoSource.OpenCapture(path, options);
        using var frame = new Mat();
        using var converter = new FrameConverter(options.ShortSide, options.ResizeMode);
        int frames = 0, failures = 0;
        while (true)
        {
            if (!capture.Grab())
            {
                // Same tolerance for bad slices as the sources (see VideoDecodeOptions.MaxConsecutiveGrabFailures).
                if (++failures > options.MaxConsecutiveGrabFailures)
                {
                    break;
                }

                continue;
            }

            failures = 0;
            frames++;
            if (depth >= 1 && (!capture.Retrieve(frame) || frame.Empty()))
            {
                throw new VideoDecodeException(VideoErrorKind.Unreadable, path, $"frame {frames - 1} was grabbed but could not be retrieved.");
            }

            var sized = depth >= 2 ? converter.Resize(frame) : frame;
            if (depth >= 3)
            {
                _ = FrameConverter.ToRgb(sized);
            }
        }

        if (frames == 0)
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, path, "no frame decodes.");
        }

        return frames;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int n = values.Count;
        return n % 2 == 1 ? values[n / 2] : (values[(n / 2) - 1] + values[n / 2]) / 2;
    }
}

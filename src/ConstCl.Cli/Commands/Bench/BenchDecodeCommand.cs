using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConstCl.Video;
using OpenCvSharp;
using ConstCl.IO;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>constcl bench decode --video FILE [--short-side S] [--linear] [--repeats N] [--json-out FILE] [--stages]</c>: decodes
/// every frame of a video in-process (one decoder thread, OpenCV limited to one thread, RGB24 managed buffers, resized
/// like training) and reports frames/s; when <c>ffmpeg</c> is on PATH, ffmpeg's one-thread decode of the same file to
/// raw RGB24 frames runs alternately with it, and the median ratio is reported.
/// </summary>
internal static class BenchDecodeCommand
{
    private const int Chunk = 64; // frames per ReadFrames call: bounded memory, as a loader reads clips

    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The video file to decode.", Required = true };
        var shortSide = new Option<int>("--short-side") { Description = "Resize so the short side has this many pixels (0: native size).", DefaultValueFactory = _ => 0 };
        var linear = new Option<bool>("--linear") { Description = "Resize bilinearly instead of by pixel area (the default, as the loader)." };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes of each side (alternating); medians count.", DefaultValueFactory = _ => 5 };
        var json = SharedOptions.JsonOut("the result");
        var noFfmpeg = new Option<bool>("--no-ffmpeg") { Description = "Do not time the ffmpeg program even if it is installed." };
        var stages = new Option<bool>("--stages") { Description = "Also time the decode stages (decode, colour conversion, resize, RGB copy) separately." };

        var command = new Command("decode", "Decoded frames per second in-process, compared with the ffmpeg program when installed.");
        foreach (var option in new Option[] { video, shortSide, linear, repeats, json, noFfmpeg, stages, SharedOptions.RenamedJsonFile() })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            int s = parse.GetValue(shortSide), n = parse.GetValue(repeats);
            if (s < 0 || n < 1)
            {
                error.WriteLine("constcl bench decode: --short-side must be ≥ 0 and --repeats ≥ 1.");
                return 2;
            }

            var mode = parse.GetValue(linear) ? FrameResizeMode.Linear : FrameResizeMode.Area;
            DecodeBenchResult result;
            try
            {
                result = Run(parse.GetValue(video)!, s, mode, n, parse.GetValue(noFfmpeg) ? null : FfmpegDecodeTimer.Find(), parse.GetValue(stages), error);
            }
            catch (VideoDecodeException e)
            {
                error.WriteLine($"constcl bench decode: {e.Message}");
                return 1;
            }

            Print(result, output);
            if (parse.GetValue(json) is string jsonPath)
            {
                var options = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
                WriteAtomically(jsonPath, JsonSerializer.Serialize(result, options));
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Times <paramref name="repeats"/> full decodes in-process, each followed by ffmpeg's (when <paramref name="ffmpeg"/>
    /// is given): to raw RGB24 at the native size and, when frames are resized, also to the same resized frames.
    /// </summary>
    internal static DecodeBenchResult Run(string video, int shortSide, FrameResizeMode mode, int repeats, string? ffmpeg, bool stages, TextWriter log)
    {
        var options = new VideoDecodeOptions { ShortSide = shortSide, ResizeMode = mode, DecoderThreads = 1, TimeLimit = Timeout.InfiniteTimeSpan };

        // ffmpeg runs on one thread; OpenCV's resize and colour conversion would otherwise use its own pool.
        int openCvThreads = Cv2.GetNumThreads();
        Cv2.SetNumThreads(1);
        try
        {
            return Measure(video, options, repeats, ffmpeg, stages, log);
        }
        finally
        {
            Cv2.SetNumThreads(openCvThreads);
        }
    }

    private static DecodeBenchResult Measure(string video, VideoDecodeOptions options, int repeats, string? ffmpeg, bool stages, TextWriter log)
    {
        int frames;
        VideoInfo info;
        using (var probe = VideoReader.Open(video, options))
        {
            info = probe.Info;
            frames = probe.CountFrames(); // counted once (and cached) so the timed passes only decode
        }

        var (width, height) = InProcessPass(video, options, frames).Size; // warm-up: JIT, page cache
        bool resized = (width, height) != (info.Width, info.Height);
        string[]? nativeArgs = null, resizedArgs = null;
        if (ffmpeg is not null)
        {
            nativeArgs = FfmpegDecodeTimer.Arguments(video, info.Width, info.Height, resize: false);
            resizedArgs = resized ? FfmpegDecodeTimer.Arguments(video, width, height, resize: true, area: options.ResizeMode == FrameResizeMode.Area) : null;
        }

        var ours = new List<(double Wall, double Cpu)>();
        var native = new List<(double Wall, double Cpu)>();
        var scaled = new List<(double Wall, double Cpu)>();
        for (int r = 0; r < repeats; r++)
        {
            ours.Add(InProcessPass(video, options, frames).Time);
            try
            {
                if (nativeArgs is not null)
                {
                    native.Add(FfmpegDecodeTimer.Time(ffmpeg!, nativeArgs));
                }

                if (resizedArgs is not null)
                {
                    scaled.Add(FfmpegDecodeTimer.Time(ffmpeg!, resizedArgs));
                }
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine($"constcl bench decode: ffmpeg not measured: {e.Message}");
                (nativeArgs, resizedArgs) = (null, null);
                native.Clear();
                scaled.Clear();
            }
        }

        var profile = stages ? DecodeStageProfiler.Measure(video, options, repeats) : null;
        double seconds = Median(ours.Select(o => o.Wall));
        var (ffSeconds, ffCpu, ffFps, ratio, cpuRatio) = Peer(native, ours, frames);
        var (rsSeconds, rsCpu, rsFps, rsRatio, rsCpuRatio) = Peer(scaled, ours, frames);
        return new DecodeBenchResult(
            video, info.Codec, frames, width, height, options.ShortSide, options.ResizeMode.ToString(), repeats, Cv2.GetNumThreads(),
            seconds, ours.Min(o => o.Wall), frames / seconds, Median(ours.Select(o => o.Cpu)),
            ffSeconds, ffCpu, ffFps, ratio, cpuRatio, native.Count > 0 ? "ffmpeg " + string.Join(' ', nativeArgs!) : null,
            rsSeconds, rsCpu, rsFps, rsRatio, rsCpuRatio, scaled.Count > 0 ? "ffmpeg " + string.Join(' ', resizedArgs!) : null,
            profile);
    }

    /// <summary>Median of the peer's times and the medians of the per-pass ratios (peer time / in-process time = in-process speed / peer speed).</summary>
    internal static (double? Seconds, double? Cpu, double? Fps, double? Ratio, double? CpuRatio) Peer(List<(double Wall, double Cpu)> peer, List<(double Wall, double Cpu)> ours, int frames)
    {
        if (peer.Count == 0)
        {
            return (null, null, null, null, null);
        }

        double seconds = Median(peer.Select(p => p.Wall));
        var cpuPairs = peer.Zip(ours).Where(x => double.IsFinite(x.First.Cpu) && x.First.Cpu > 0 && x.Second.Cpu > 0).ToList();
        double? cpu = peer.All(p => double.IsFinite(p.Cpu)) ? Median(peer.Select(p => p.Cpu)) : null;
        double? cpuRatio = cpuPairs.Count > 0 ? Median(cpuPairs.Select(x => x.First.Cpu / x.Second.Cpu)) : null;
        return (seconds, cpu, seconds > 0 ? frames / seconds : null, Median(peer.Zip(ours).Select(x => x.First.Wall / x.Second.Wall)), cpuRatio);
    }

    /// <summary>Decodes every frame as the loader would (clips of <see cref="Chunk"/> frames from one open source).</summary>
    private static ((double Wall, double Cpu) Time, (int Width, int Height) Size) InProcessPass(string video, VideoDecodeOptions options, int frames)
    {
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int width = 0, height = 0;
        using (var source = VideoReader.Open(video, options))
        {
            for (int start = 0; start < frames; start += Chunk)
            {
                var clip = source.ReadFrames(Enumerable.Range(start, Math.Min(Chunk, frames - start)).ToArray());
                (width, height) = (clip.Width, clip.Height);
            }
        }

        double wall = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return ((wall, (self.TotalProcessorTime - cpu0).TotalSeconds), (width, height));
    }

    private static void Print(DecodeBenchResult result, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Format(c, "{0}: {1} frames {2}x{3} ({4}{5}), in-process (median of {6}): {7:0.000} s ({8:0.000} s CPU), {9:0} frames/s", result.Video, result.Frames, result.Width, result.Height, result.Codec, result.ShortSide > 0 ? ", " + result.ResizeMode.ToLowerInvariant() + " resize" : string.Empty, result.Repeats, result.Seconds, result.CpuSeconds, result.FramesPerSecond));
        if (result.FfmpegFramesPerSecond is double ff)
        {
            output.WriteLine(string.Format(c, "ffmpeg -threads 1, raw RGB24 at the native size: {0:0.000} s ({1:0.000} s CPU), {2:0} frames/s", result.FfmpegSeconds, result.FfmpegCpuSeconds, ff));
            output.WriteLine(string.Format(c, "speed in-process / ffmpeg: {0:0.00} (wall clock), {1:0.00} (CPU time), medians of paired passes", result.RatioToFfmpeg, result.CpuRatioToFfmpeg));
            if (result.FfmpegResizedFramesPerSecond is double fr)
            {
                output.WriteLine(string.Format(c, "ffmpeg -threads 1, same resized frames: {0:0.000} s ({1:0.000} s CPU), {2:0} frames/s; speed in-process / ffmpeg: {3:0.00} (wall), {4:0.00} (CPU)", result.FfmpegResizedSeconds, result.FfmpegResizedCpuSeconds, fr, result.RatioToFfmpegResized, result.CpuRatioToFfmpegResized));
            }
        }
        else
        {
            output.WriteLine("ffmpeg: not measured (not on PATH, failed, or --no-ffmpeg)");
        }

        if (result.Stages is { } stages)
        {
            output.WriteLine("stage       CPU ms/frame  (+added)  wall ms/frame");
            double previous = 0;
            foreach (var st in stages)
            {
                output.WriteLine(string.Format(c, "{0,-10} {1,13:0.000}  {2,8:+0.000;-0.000}  {3,13:0.000}   {4}", st.Name, st.CpuMillisecondsPerFrame, st.CpuMillisecondsPerFrame - previous, st.WallMillisecondsPerFrame, st.Description));
                previous = st.CpuMillisecondsPerFrame;
            }
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static void WriteAtomically(string path, string text) => AtomicFile.WriteAllText(path, text);
}

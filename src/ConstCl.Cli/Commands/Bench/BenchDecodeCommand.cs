using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConstCl.Video;
using OpenCvSharp;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>constcl bench decode --video FILE [--short-side S] [--linear] [--repeats N] [--json] [--json-out FILE] [--stages] [--decoder D]</c>:
/// decodes every frame of a video in-process (one decoder thread, OpenCV limited to one thread, RGB24 managed buffers,
/// resized like training) with each decoder back-end (both, unless <c>--decoder</c> names one) and reports frames/s;
/// when <c>ffmpeg</c> is on PATH, ffmpeg's one-thread decode of the same file to raw RGB24 frames runs alternately with
/// them, and the median ratios are reported. <c>--stages</c> profiles the OpenCV back-end's stages.
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
        var json = ResultOutput.Create("the result");
        var noFfmpeg = new Option<bool>("--no-ffmpeg") { Description = "Do not time the ffmpeg program even if it is installed." };
        var stages = new Option<bool>("--stages") { Description = "Also time the OpenCV back-end's decode stages (decode, colour conversion, resize, RGB copy) separately." };

        var command = new Command("decode", "Decoded frames per second in-process, compared with the ffmpeg program when installed.");
        foreach (var option in new Option[] { video, shortSide, linear, repeats, json.Json, json.JsonOut, noFfmpeg, stages })
        {
            command.Options.Add(option);
        }

        CancellableAction.Set(command, (parse, cancellationToken) =>
        {
            var output = json.Text(parse);
            var error = parse.InvocationConfiguration.Error;
            int s = parse.GetValue(shortSide), n = parse.GetValue(repeats);
            if (s < 0 || n < 1)
            {
                error.WriteLine("constcl bench decode: --short-side must be ≥ 0 and --repeats ≥ 1.");
                return 2;
            }

            json.EnsureWritable(parse);
            var mode = parse.GetValue(linear) ? FrameResizeMode.Linear : FrameResizeMode.Area;
            DecodeBenchResult result;
            try
            {
                result = Run(parse.GetValue(video)!, s, mode, n, parse.GetValue(noFfmpeg) ? null : FfmpegDecodeTimer.Find(), parse.GetValue(stages), error, cancellationToken);
            }
            catch (VideoDecodeException e)
            {
                error.WriteLine($"constcl bench decode: {e.Message}");
                return 1;
            }

            Print(result, output);
            json.Write(parse, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Times <paramref name="repeats"/> full decodes in-process, each followed by ffmpeg's (when <paramref name="ffmpeg"/>
    /// is given): to raw RGB24 at the native size and, when frames are resized, also to the same resized frames.
    /// </summary>
    internal static DecodeBenchResult Run(
        string video, int shortSide, FrameResizeMode mode, int repeats, string? ffmpeg, bool stages, TextWriter log, CancellationToken cancellationToken = default)
    {
        var options = new VideoDecodeOptions { ShortSide = shortSide, ResizeMode = mode, DecoderThreads = 1, TimeLimit = Timeout.InfiniteTimeSpan };

        // ffmpeg runs on one thread; OpenCV's resize and colour conversion would otherwise use its own pool.
        int openCvThreads = Cv2.GetNumThreads();
        Cv2.SetNumThreads(1);
        try
        {
            return Measure(video, options, repeats, ffmpeg, stages, log, cancellationToken);
        }
        finally
        {
            Cv2.SetNumThreads(openCvThreads);
        }
    }

    private static DecodeBenchResult Measure(string video, VideoDecodeOptions options, int repeats, string? ffmpeg, bool stages, TextWriter log, CancellationToken cancellationToken)
    {
        // The back-ends: the one named by --decoder (CONSTCL_DECODER), else both (the system FFmpeg only where it loads);
        // the first is the library's default choice, whose figures are the top-level ones.
        var named = VideoDecoderSelector.FromEnvironment();
        var primary = VideoDecoderSelector.Resolve(named ?? VideoDecoderBackend.Auto);
        var backends = new List<VideoDecoderBackend> { primary };
        if (named is null)
        {
            var other = primary == VideoDecoderBackend.Ffmpeg ? VideoDecoderBackend.OpenCv : VideoDecoderBackend.Ffmpeg;
            if (other == VideoDecoderBackend.OpenCv || VideoDecoderSelector.FfmpegAvailable)
            {
                backends.Add(other);
            }
        }

        int frames = 0;
        VideoInfo info = null!;
        foreach (var backend in backends)
        {
            using var probe = VideoReader.Open(video, options with { Decoder = backend });
            info = probe.Info;
            int counted = probe.CountFrames(); // counted once (and cached) so the timed passes only decode
            if (frames != 0 && counted != frames)
            {
                log.WriteLine($"constcl bench decode: the back-ends count different frames ({frames} vs {counted} with {Name(backend)}); each pass decodes the first {Math.Min(frames, counted)}.");
            }

            frames = frames == 0 ? counted : Math.Min(frames, counted);
        }

        (int width, int height) = (0, 0);
        foreach (var backend in backends)
        {
            (width, height) = InProcessPass(video, options with { Decoder = backend }, frames).Size; // warm-up: JIT, page cache
        }

        bool resized = (width, height) != (info.Width, info.Height);
        string[]? nativeArgs = null, resizedArgs = null;
        if (ffmpeg is not null)
        {
            nativeArgs = FfmpegDecodeTimer.Arguments(video, info.Width, info.Height, resize: false);
            resizedArgs = resized ? FfmpegDecodeTimer.Arguments(video, width, height, resize: true, area: options.ResizeMode == FrameResizeMode.Area) : null;
        }

        var ours = backends.ToDictionary(b => b, _ => new List<(double Wall, double Cpu)>());
        var native = new List<(double Wall, double Cpu)>();
        var scaled = new List<(double Wall, double Cpu)>();
        for (int r = 0; r < repeats; r++)
        {
            foreach (var backend in backends)
            {
                cancellationToken.ThrowIfCancellationRequested();   // Ctrl+C: between passes; nothing is written
                ours[backend].Add(InProcessPass(video, options with { Decoder = backend }, frames).Time);
            }

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

        cancellationToken.ThrowIfCancellationRequested();
        var profile = stages ? DecodeStageProfiler.Measure(video, options, repeats) : null;
        var perBackend = backends.Select(b => Summarise(b, ours[b], ours.GetValueOrDefault(VideoDecoderBackend.OpenCv), native, scaled, frames)).ToList();
        var top = perBackend[0];
        var mine = ours[primary];
        var (ffSeconds, ffCpu, ffFps, _, _) = Peer(native, mine, frames);
        var (rsSeconds, rsCpu, rsFps, _, _) = Peer(scaled, mine, frames);
        return new DecodeBenchResult(
            video, top.Decoder, VideoDecoderSelector.FfmpegVersions, info.Codec, frames, width, height, options.ShortSide, options.ResizeMode.ToString(), repeats, Cv2.GetNumThreads(),
            top.Seconds, top.MinSeconds, top.FramesPerSecond, top.CpuSeconds,
            ffSeconds, ffCpu, ffFps, top.RatioToFfmpeg, top.CpuRatioToFfmpeg, native.Count > 0 ? "ffmpeg " + string.Join(' ', nativeArgs!) : null,
            rsSeconds, rsCpu, rsFps, top.RatioToFfmpegResized, top.CpuRatioToFfmpegResized, scaled.Count > 0 ? "ffmpeg " + string.Join(' ', resizedArgs!) : null,
            profile, perBackend);
    }

    /// <summary>The name a back-end has on the command line.</summary>
    internal static string Name(VideoDecoderBackend backend) => backend == VideoDecoderBackend.Ffmpeg ? "ffmpeg" : "opencv";

    private static DecoderBenchResult Summarise(VideoDecoderBackend backend, List<(double Wall, double Cpu)> passes, List<(double Wall, double Cpu)>? openCv, List<(double Wall, double Cpu)> native, List<(double Wall, double Cpu)> scaled, int frames)
    {
        double seconds = Median(passes.Select(p => p.Wall));
        var (_, _, _, ratio, cpuRatio) = Peer(native, passes, frames);
        var (_, _, _, rsRatio, rsCpuRatio) = Peer(scaled, passes, frames);
        var (_, _, _, cvRatio, cvCpuRatio) = backend == VideoDecoderBackend.OpenCv || openCv is null ? default : Peer(openCv, passes, frames);
        return new DecoderBenchResult(
            Name(backend), seconds, passes.Min(p => p.Wall), frames / seconds, Median(passes.Select(p => p.Cpu)),
            ratio, cpuRatio, rsRatio, rsCpuRatio, cvRatio, cvCpuRatio);
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
        output.WriteLine(string.Format(c, "{0}: {1} frames {2}x{3} ({4}{5}), median of {6} passes, one decoder thread", result.Video, result.Frames, result.Width, result.Height, result.Codec, result.ShortSide > 0 ? ", " + result.ResizeMode.ToLowerInvariant() + " resize" : string.Empty, result.Repeats));
        foreach (var d in result.Decoders)
        {
            string label = d.Decoder == "ffmpeg" ? $"in-process, system FFmpeg ({result.FfmpegLibraries})" : "in-process, OpenCV's bundled FFmpeg";
            string vsOpenCv = d.RatioToOpenCv is double v ? string.Format(c, "; {0:0.00}× OpenCV (wall), {1:0.00}× (CPU)", v, d.CpuRatioToOpenCv) : string.Empty;
            output.WriteLine(string.Format(c, "{0}{1}: {2:0.000} s ({3:0.000} s CPU), {4:0} frames/s{5}", label, d.Decoder == result.Decoder ? " [default]" : string.Empty, d.Seconds, d.CpuSeconds, d.FramesPerSecond, vsOpenCv));
        }

        if (result.FfmpegFramesPerSecond is double ff)
        {
            output.WriteLine(string.Format(c, "ffmpeg -threads 1, raw RGB24 at the native size: {0:0.000} s ({1:0.000} s CPU), {2:0} frames/s", result.FfmpegSeconds, result.FfmpegCpuSeconds, ff));
            foreach (var d in result.Decoders)
            {
                output.WriteLine(string.Format(c, "speed in-process ({0}) / ffmpeg: {1:0.00} (wall clock), {2:0.00} (CPU time), medians of paired passes", d.Decoder, d.RatioToFfmpeg, d.CpuRatioToFfmpeg));
            }

            if (result.FfmpegResizedFramesPerSecond is double fr)
            {
                output.WriteLine(string.Format(c, "ffmpeg -threads 1, same resized frames: {0:0.000} s ({1:0.000} s CPU), {2:0} frames/s", result.FfmpegResizedSeconds, result.FfmpegResizedCpuSeconds, fr));
                foreach (var d in result.Decoders)
                {
                    output.WriteLine(string.Format(c, "speed in-process ({0}) / ffmpeg, same resized frames: {1:0.00} (wall), {2:0.00} (CPU)", d.Decoder, d.RatioToFfmpegResized, d.CpuRatioToFfmpegResized));
                }
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
}

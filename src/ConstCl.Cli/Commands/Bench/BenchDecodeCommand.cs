using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConstCl.Video;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// <c>constcl bench decode --video FILE [--short-side S] [--repeats N] [--json FILE]</c>: decodes every frame of a
/// video in-process (one decoder thread, RGB24 managed buffers, resized like training) and reports frames/s; when
/// <c>ffmpeg</c> is on PATH, also ffmpeg's one-thread decode rate of the same file to raw RGB24, and the ratio.
/// </summary>
internal static class BenchDecodeCommand
{
    private const int Chunk = 64; // frames per ReadFrames call: bounded memory, as a loader reads clips

    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The video file to decode.", Required = true };
        var shortSide = new Option<int>("--short-side") { Description = "Resize so the short side has this many pixels (0: native size).", DefaultValueFactory = _ => 0 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes; the fastest counts.", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON to this file." };
        var noFfmpeg = new Option<bool>("--no-ffmpeg") { Description = "Do not time the ffmpeg program even if it is installed." };

        var command = new Command("decode", "Decoded frames per second in-process, compared with the ffmpeg program when installed.");
        command.Options.Add(video);
        command.Options.Add(shortSide);
        command.Options.Add(repeats);
        command.Options.Add(json);
        command.Options.Add(noFfmpeg);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            int s = parse.GetValue(shortSide), n = parse.GetValue(repeats);
            if (s < 0 || n < 1)
            {
                error.WriteLine("bench decode: --short-side must be ≥ 0 and --repeats ≥ 1.");
                return 2;
            }

            DecodeBenchResult result;
            try
            {
                result = Run(parse.GetValue(video)!, s, n, parse.GetValue(noFfmpeg) ? null : FfmpegDecodeTimer.Find(), error);
            }
            catch (VideoDecodeException e)
            {
                error.WriteLine($"bench decode: {e.Message}");
                return 1;
            }

            var c = CultureInfo.InvariantCulture;
            output.WriteLine(string.Format(c, "{0}: {1} frames {2}x{3} ({4}), in-process: {5:0.000} s ({6:0.000} s CPU), {7:0} frames/s", result.Video, result.Frames, result.Width, result.Height, result.Codec, result.Seconds, result.CpuSeconds, result.FramesPerSecond));
            if (result.FfmpegFramesPerSecond is double ff)
            {
                output.WriteLine(string.Format(c, "ffmpeg -threads 1: {0:0.000} s ({1:0.000} s CPU), {2:0} frames/s", result.FfmpegSeconds, result.FfmpegCpuSeconds, ff));
                output.WriteLine(string.Format(c, "speed in-process / ffmpeg: {0:0.00} (wall clock), {1:0.00} (CPU time)", result.RatioToFfmpeg, result.CpuRatioToFfmpeg));
            }
            else
            {
                output.WriteLine("ffmpeg: not measured (not on PATH, failed, or --no-ffmpeg)");
            }

            if (parse.GetValue(json) is string jsonPath)
            {
                WriteAtomically(jsonPath, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        });
        return command;
    }

    /// <summary>Times <paramref name="repeats"/> full decodes (and ffmpeg's, when <paramref name="ffmpeg"/> is given); the fastest pass of each counts.</summary>
    internal static DecodeBenchResult Run(string video, int shortSide, int repeats, string? ffmpeg, TextWriter log)
    {
        var options = new VideoDecodeOptions { ShortSide = shortSide, DecoderThreads = 1, TimeLimit = Timeout.InfiniteTimeSpan };
        int frames;
        VideoInfo info;
        using (var probe = VideoReader.Open(video, options))
        {
            info = probe.Info;
            frames = probe.CountFrames(); // counted once (and cached) so the timed passes only decode
        }

        double best = double.MaxValue, bestCpu = double.MaxValue;
        int width = 0, height = 0;
        using var self = Process.GetCurrentProcess();
        for (int r = 0; r < repeats; r++)
        {
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using var source = VideoReader.Open(video, options);
            for (int start = 0; start < frames; start += Chunk)
            {
                var clip = source.ReadFrames(Enumerable.Range(start, Math.Min(Chunk, frames - start)).ToArray());
                (width, height) = (clip.Width, clip.Height);
            }

            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            self.Refresh();
            bestCpu = Math.Min(bestCpu, (self.TotalProcessorTime - cpu0).TotalSeconds);
        }

        double? ffSeconds = null, ffCpu = null;
        string? ffCommand = null;
        if (ffmpeg is not null)
        {
            var args = FfmpegDecodeTimer.Arguments(video, width, height, shortSide > 0);
            ffCommand = "ffmpeg " + string.Join(' ', args);
            try
            {
                double ffBest = double.MaxValue, ffBestCpu = double.MaxValue;
                for (int r = 0; r < repeats; r++)
                {
                    var (real, cpu) = FfmpegDecodeTimer.Time(ffmpeg, args);
                    ffBest = Math.Min(ffBest, real);
                    ffBestCpu = Math.Min(ffBestCpu, cpu);
                }

                ffSeconds = ffBest;
                ffCpu = double.IsFinite(ffBestCpu) ? ffBestCpu : null;
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine($"bench decode: ffmpeg not measured: {e.Message}");
            }
        }

        double fps = frames / best;
        double? ffFps = ffSeconds is double fs && fs > 0 ? frames / fs : null;
        double? cpuRatio = ffCpu is double fc && fc > 0 && bestCpu > 0 ? fc / bestCpu : null;
        return new DecodeBenchResult(
            video, info.Codec, frames, width, height, shortSide, repeats, best, fps, bestCpu, ffSeconds, ffCpu, ffFps, ffFps is double f ? fps / f : null, cpuRatio, ffCommand);
    }

    private static void WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ConstCl.Cli.Commands.Bench;

/// <summary>
/// Times the <c>ffmpeg</c> program decoding a file to raw RGB24 frames on one thread (the reference for
/// <c>bench decode</c>). Uses ffmpeg's own <c>-benchmark</c> real time, so process start-up is not counted.
/// </summary>
internal static partial class FfmpegDecodeTimer
{
    /// <summary>Full path of <c>ffmpeg</c> on PATH, or null.</summary>
    public static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in OperatingSystem.IsWindows() ? new[] { "ffmpeg.exe" } : ["ffmpeg"])
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The arguments: one decoder thread, every decoded frame kept (<c>-fps_mode passthrough</c>), RGB24 to the null
    /// device; with <paramref name="resize"/>, scaled to <paramref name="width"/> × <paramref name="height"/> by pixel
    /// area (or bilinearly when <paramref name="area"/> is false).
    /// </summary>
    public static string[] Arguments(string video, int width, int height, bool resize, bool area = true)
    {
        var args = new List<string> { "-hide_banner", "-nostdin", "-loglevel", "info", "-nostats", "-benchmark", "-threads", "1", "-i", video, "-threads", "1", "-filter_threads", "1" };
        if (resize)
        {
            args.AddRange(["-vf", string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags={(area ? "area" : "bilinear")}")]);
        }

        args.AddRange(["-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-y", OperatingSystem.IsWindows() ? "NUL" : "/dev/null"]);
        return args.ToArray();
    }

    /// <summary>
    /// Runs ffmpeg and returns the real seconds it spent (its <c>rtime</c>, else the wall clock) and its CPU seconds
    /// (<c>utime + stime</c>, NaN when not printed).
    /// </summary>
    /// <exception cref="InvalidOperationException">ffmpeg failed.</exception>
    public static (double RealSeconds, double CpuSeconds) Time(string ffmpeg, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {ffmpeg}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        double wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with code {process.ExitCode}: {stderr.Trim()}");
        }

        var m = Bench().Match(stderr);
        if (!m.Success)
        {
            return (wall, double.NaN);
        }

        double Get(int g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        return (Get(3), Get(1) + Get(2));
    }

    [GeneratedRegex(@"utime=([0-9.]+)s\s+stime=([0-9.]+)s\s+rtime=([0-9.]+)s")]
    private static partial Regex Bench();
}

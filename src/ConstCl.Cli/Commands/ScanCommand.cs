using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl scan PATH… [--json]</c>: decodes every video (files, folders recursively, CSV manifests) and reports
/// per file whether it decodes, how many frames, its size, rate and duration, or the error; a given folder without
/// any video is one failed (<c>Empty</c>) line, never dropped. Exit code 0 whenever
/// the scan ran, even if videos failed; 2 for an unusable manifest.
/// </summary>
internal static class ScanCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Video files, folders (searched recursively; a folder of images is one frame-folder video) or CSV manifests (header 'path,label').",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = SharedOptions.Json("one array with an entry per video");
        var timeLimit = new Option<double>("--time-limit")
        {
            Description = "Seconds one video may take before it is reported as a timeout.",
            DefaultValueFactory = _ => 30,
        };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Videos decoded at once.",
            DefaultValueFactory = _ => 1,
        }.Within(1, 256);

        var command = new Command("scan", "Check that videos decode: frames that really decode, size, frame rate, duration, or the error.");
        command.Arguments.Add(paths);
        command.Options.Add(json);
        command.Options.Add(timeLimit);
        command.Options.Add(parallel);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            double seconds = parse.GetValue(timeLimit);
            int workers = parse.GetValue(parallel);
            if (!(seconds > 0) || workers < 1)
            {
                error.WriteLine("constcl scan: --time-limit must be > 0 seconds and --parallel ≥ 1.");
                return 2;
            }

            List<string> targets;
            try
            {
                targets = ScanTargets.Expand(parse.GetValue(paths) ?? [], error);
            }
            catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"constcl scan: {e.Message}");
                return 2;
            }

            var options = new VideoDecodeOptions { TimeLimit = TimeSpan.FromSeconds(seconds) };
            var entries = Run(targets, options, workers);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(entries, JsonOptions));
            }
            else
            {
                foreach (var e in entries)
                {
                    output.WriteLine(Describe(e));
                }

                int failed = entries.Count(e => e.Status == "failed");
                output.WriteLine($"{entries.Length} videos: {entries.Length - failed} ok, {failed} failed");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Scans every target (order kept).</summary>
    internal static ScanEntry[] Run(IReadOnlyList<string> targets, VideoDecodeOptions options, int workers)
    {
        var entries = new ScanEntry[targets.Count];
        Parallel.For(0, targets.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, i => entries[i] = ScanOne(targets[i], options));
        return entries;
    }

    internal static ScanEntry ScanOne(string path, VideoDecodeOptions options)
    {
        try
        {
            if (NotAFrameFolder(path) is (VideoErrorKind kind, string reason))
            {
                return new ScanEntry(path, "failed", null, null, null, null, null, null, null, null, kind.ToString(), $"{kind}: {path}: {reason}");
            }

            var scan = VideoReader.Scan(path, options);
            return new ScanEntry(
                path, "ok", scan.DecodableFrames, scan.Info.Width, scan.Info.Height, Math.Round(scan.Info.FramesPerSecond, 6),
                Math.Round(scan.DurationSeconds, 6), scan.Info.HeaderFrameCount, scan.IsVariableFrameRate, scan.Info.Codec, null, null);
        }
        catch (VideoDecodeException e)
        {
            return new ScanEntry(path, "failed", null, null, null, null, null, null, null, null, e.Kind.ToString(), e.Message);
        }
    }

    /// <summary>Why a folder that is not a frame folder cannot be scanned as one video (the frame-folder reader's message would mislead); null otherwise.</summary>
    private static (VideoErrorKind Kind, string Reason)? NotAFrameFolder(string path)
    {
        try
        {
            if (!Directory.Exists(path) || ScanTargets.IsFrameFolder(path))
            {
                return null;
            }

            return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Any(f => VideoReader.VideoExtensions.Contains(Path.GetExtension(f)))
                ? (VideoErrorKind.NotAVideo, "a folder of video files, not a frame folder; pass the folder to scan directly, or list its videos.")
                : (VideoErrorKind.Empty, "the folder holds no video files and no frame images (.jpg, .jpeg, .png, .bmp), in it or below.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the reader reports it as unreadable
        }
    }

    private static string Describe(ScanEntry e)
    {
        if (e.Status != "ok")
        {
            return $"failed  {e.Path}  {e.Error}";
        }

        var c = CultureInfo.InvariantCulture;
        string header = e.HeaderFrames > 0 && e.HeaderFrames != e.Frames ? string.Format(c, " (header says {0})", e.HeaderFrames) : string.Empty;
        string vfr = e.VariableFrameRate == true ? " variable-frame-rate" : string.Empty;
        return string.Format(c, "ok      {0}  frames={1}{2} {3}x{4} fps={5:0.###} duration={6:0.###}s codec={7}{8}", e.Path, e.Frames, header, e.Width, e.Height, e.Fps, e.DurationSeconds, e.Codec, vfr);
    }
}

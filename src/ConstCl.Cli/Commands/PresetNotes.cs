using System.Globalization;
using ConstCl.Datasets;
using ConstCl.Training;
using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// Notes <c>constcl pretrain</c> prints before a run that leaves the conditions a preset's gain over random weights was
/// measured in (docs/training.md), so a user learns it before spending the run, not from the probe afterwards.
/// </summary>
internal static class PresetNotes
{
    // FourCCs (the OpenCV back-end's and the system FFmpeg back-end's Codec) and FFmpeg codec names of common lossy video codecs.
    private static readonly HashSet<string> LossyCodecs = new(StringComparer.OrdinalIgnoreCase)
    {
        "XVID", "DIVX", "DX50", "FMP4", "MP4V", "MPEG4", "H264", "AVC1", "X264", "HEVC", "H265", "HVC1", "HEV1", "MJPG", "MJPEG",
        "VP80", "VP90", "VP8", "VP9", "AV01", "AV1", "MPG1", "MPG2", "MPEG1VIDEO", "MPEG2VIDEO", "WMV1", "WMV2", "WMV3", "THEORA",
    };

    /// <summary>
    /// For <c>--steps</c> at half the preset's steps or fewer: the presets' gains over random weights were measured at their
    /// own step counts (<c>tiny</c> cut to 300 steps measured at the random-weights level). Null when the run is not cut that short.
    /// </summary>
    /// <param name="preset">The <c>--preset</c> name.</param>
    /// <param name="steps">The <c>--steps</c> value; null when not given.</param>
    internal static string? ShortRun(string preset, int? steps)
    {
        var presetSteps = PretrainingOptions.ForPreset(preset).Steps;
        if (steps is not int given || (long)given * 2 > presetSteps)
        {
            return null;
        }

        var name = Normalise(preset);
        var advice = name == "small" ? "." : "; for short CPU runs use --preset small.";
        return string.Create(CultureInfo.InvariantCulture,
            $"--steps {given} is {100.0 * given / presetSteps:0.##} % of the {name} preset's {presetSteps:N0} steps, at which its gain over random weights was measured (docs/training.md); shorter runs gain less or nothing{advice}");
    }

    /// <summary>
    /// For the <c>tiny</c> preset cut short on files of a lossy codec (UCF101's and HMDB51's XviD, H.264, MJPG, …): in the learning
    /// harness <c>tiny</c> lost to random weights at 2 400 steps on XviD-compressed videos with a keyframe every 12 frames and gained
    /// at its 4 800 (docs/training.md, "`tiny` on compressed sources"). The keyframe interval is not read, so the note is given for
    /// every lossy codec. Null for other presets, lossless codecs, an unknown codec, and runs of the preset's full steps or more.
    /// </summary>
    /// <param name="preset">The <c>--preset</c> name.</param>
    /// <param name="codec">The first video's codec (<see cref="VideoInfo.Codec"/>), or null when it could not be read.</param>
    /// <param name="steps">The <c>--steps</c> value; null when not given (the preset's own steps).</param>
    internal static string? LossySource(string preset, string? codec, int? steps)
    {
        var tinySteps = PretrainingOptions.Tiny.Steps;
        if (Normalise(preset) != "tiny" || codec is null || !LossyCodecs.Contains(codec.Trim()) || steps is not int given || given >= tinySteps)
        {
            return null;
        }

        var full = tinySteps.ToString("N0", CultureInfo.InvariantCulture);
        return $"the videos are {codec.Trim()}, a lossy codec, and --steps {given.ToString(CultureInfo.InvariantCulture)} is shorter than the tiny preset's {full}: in docs/training.md's "
            + "measurements (\"`tiny` on compressed sources\") tiny lost to random weights at 2,400 steps on XviD videos with a keyframe every 12 frames "
            + "(each I-frame re-codes the still background, a shortcut in frame differences) and gained at 4,800 (+13.9 points on motion over "
            + $"three seeds, +5.3 to +21.6), while small gained about 30 at its 600 steps. For compressed sources use --preset small, or leave out --steps to run tiny's full {full}.";
    }

    /// <summary>
    /// <see cref="LossySource(string, string?, int?)"/> for the codec of <paramref name="dataset"/>'s first readable video, which is
    /// opened only when the note could apply (the <c>tiny</c> preset cut short).
    /// </summary>
    internal static string? LossySource(string preset, VideoDataset dataset, int? steps) =>
        Normalise(preset) == "tiny" && steps < PretrainingOptions.Tiny.Steps ? LossySource(preset, FirstCodec(dataset), steps) : null;

    /// <summary>The codec of the dataset's first readable video among its first few, or null (unreadable files are the loader's to report).</summary>
    internal static string? FirstCodec(VideoDataset dataset)
    {
        foreach (var entry in dataset.Entries.Take(3))
        {
            try
            {
                return VideoReader.Probe(entry.Path).Codec;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Advice only: a file that cannot be read is the loader's to report and skip, never a reason to stop here.
            }
        }

        return null;
    }

    private static string Normalise(string preset) => preset.Trim().ToLowerInvariant();
}

using System.CommandLine;
using ConstCl.Cli.Pictures;
using ConstCl.Data;
using ConstCl.Modeling;
using ConstCl.Training;
using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// <c>constcl show-views --video FILE [--preset small|tiny|paper] [--seed S] [--regions random|slic|fh] [--out FILE.png]</c>:
/// draws one augmented view pair of a video as the pre-training loader builds it for that preset, with the region boxes
/// and the matched key frames (<see cref="ViewPairPicture"/>). The same seed draws the same pair.
/// </summary>
internal static class ShowViewsCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var video = new Option<string>("--video") { Description = "The video file (or frame folder).", Required = true };
        var preset = SharedOptions.Preset("small", "Whose clip shape, sampling and augmentation: small, tiny or paper.");
        var seed = new Option<int>("--seed") { Description = "Seed of the view sampling, augmentation and boxes.", DefaultValueFactory = _ => 1 };
        var regions = new Option<string>("--regions") { Description = "Region boxes: random (paper default), slic or fh (Felzenszwalb).", DefaultValueFactory = _ => "random" };
        regions.OneOf("random", "slic", "fh");
        var output = new Option<string>("--out") { Description = "The PNG to write.", DefaultValueFactory = _ => ViewPairPicture.FileName };
        var command = new Command("show-views", "Draw one augmented view pair of a video with its region boxes and matched key frames (what ConST-CL trains on).")
        {
            video, preset, seed, regions, output,
        };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            string path = parse.GetValue(video)!;
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                throw new CommandException(ExitCodes.Failure, $"video '{Path.GetFullPath(path)}' not found.");
            }

            string target = Path.GetFullPath(parse.GetValue(output)!);
            OutputLocation.EnsureFileWritable(target, "--out");
            int s = parse.GetValue(seed);
            string presetName = parse.GetValue(preset)!;
            var options = PretrainingOptions.ForPreset(presetName) with { Seed = s };
            var kind = parse.GetValue(regions) switch { "slic" => RegionProposerKind.Slic, "fh" => RegionProposerKind.Felzenszwalb, _ => RegionProposerKind.Random };
            var loader = (options.ToLoaderOptions() with { RegionProposer = kind }).Validate();
            TwoViewSample sample;
            try
            {
                sample = TwoViewSample.Create(new FileFrameProvider([path], loader.DecodeOptions), 0, loader, new Random(s));
            }
            catch (VideoDecodeException e)
            {
                throw new CommandException(ExitCodes.Failure, $"cannot decode '{path}': {e.Message}");
            }

            var strategy = options.Model.LocalHead.KeyFrameStrategy;
            var (keyA, keyB) = strategy switch
            {
                KeyFrameStrategy.Nearest => sample.NearestKeyFrames(),
                KeyFrameStrategy.Random => (new Random(options.Model.LocalHead.KeyFrameSeed ?? s).Next(sample.Frames), new Random((options.Model.LocalHead.KeyFrameSeed ?? s) + 1).Next(sample.Frames)),
                _ => (sample.Frames / 2, sample.Frames / 2),
            };
            string title = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(path))}: one view pair, {presetName} preset, seed {s}, {kind} boxes, {strategy} key frames";
            ViewPairPicture.Write(target, sample, keyA, keyB, loader.EffectiveAugmentation.ZeroCenter, title);
            stdout.WriteLine($"Wrote {target}: {sample.Frames} frames per view of {sample.Size}², source frames {sample.FrameTimesA[0]}… (A) and {sample.FrameTimesB[0]}… (B), key frames {keyA} and {keyB}.");
            return 0;
        });
        return command;
    }
}

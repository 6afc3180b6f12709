using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ConstCl.Datasets;

namespace ConstCl.Cli.Commands;

/// <summary><c>constcl synth</c>: writes the synthetic motion-defined action dataset as video files plus manifests.</summary>
internal static class SynthCommand
{
    /// <summary>Builds the command.</summary>
    internal static Command Create()
    {
        var defaults = new SyntheticActionsOptions();
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder (created if missing).", Required = true };
        var classes = new Option<int>("--classes") { Description = $"Number of motion classes, 2..{SyntheticActionsOptions.MaxClasses}.", DefaultValueFactory = _ => defaults.Classes };
        var perClass = new Option<int>("--videos-per-class") { Description = "Videos per class (train and test together).", DefaultValueFactory = _ => defaults.VideosPerClass }.Within(1, 100_000);
        var seed = new Option<int>("--seed") { Description = "Seed; the same seed writes the same frames.", DefaultValueFactory = _ => defaults.Seed };
        var frames = new Option<int>("--frames") { Description = "Frames per video.", DefaultValueFactory = _ => defaults.Frames };
        var size = new Option<int>("--size") { Description = "Frame width and height in pixels.", DefaultValueFactory = _ => defaults.Size };
        var testFraction = new Option<double>("--test-fraction") { Description = "Fraction of each class held out as test.csv.", DefaultValueFactory = _ => defaults.TestFraction };

        var command = new Command("synth", "Write the synthetic action dataset (classes defined by motion, not appearance): videos + manifest.csv, train.csv, test.csv.")
        {
            outDir, classes, perClass, seed, frames, size, testFraction,
        };
        command.SetAction(parse =>
        {
            TextWriter stdout = parse.InvocationConfiguration.Output;
            TextWriter stderr = parse.InvocationConfiguration.Error;
            var options = new SyntheticActionsOptions
            {
                Classes = parse.GetValue(classes),
                VideosPerClass = parse.GetValue(perClass),
                Seed = parse.GetValue(seed),
                Frames = parse.GetValue(frames),
                Size = parse.GetValue(size),
                TestFraction = parse.GetValue(testFraction),
            };
            SyntheticActions generator;
            try
            {
                generator = new SyntheticActions(options);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                stderr.WriteLine($"constcl synth: {ex.Message}");
                return 2;
            }

            string dir = parse.GetValue(outDir)!.FullName;
            OutputLocation.EnsureWritable(dir, "--out");
            var watch = Stopwatch.StartNew();
            int lastPercent = -1;
            SyntheticDatasetFiles files = generator.WriteFiles(dir, (done, total) =>
            {
                int percent = done * 100 / total;
                if (percent / 10 != lastPercent / 10)
                {
                    lastPercent = percent;
                    stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done}/{total} videos"));
                }
            });
            watch.Stop();

            FormattableString summary = $"""
                Synthetic actions written to {files.Directory}
                  classes      {files.ClassNames.Count}: {string.Join(", ", files.ClassNames)}
                  videos       {files.TrainVideos + files.TestVideos} ({files.TrainVideos} train, {files.TestVideos} test), {options.Frames} frames of {options.Size}x{options.Size} at {options.FramesPerSecond} fps, {files.Codec} .avi
                  seed         {options.Seed}
                  size on disk {files.TotalBytes / 1024.0:F0} KiB
                  manifests    {files.Manifest}
                               {files.TrainManifest}
                               {files.TestManifest}
                  appearance   {files.ShapeTrainManifest}
                               {files.ShapeTestManifest}  (the same splits labelled by the object's outline)
                               {files.TextureTrainManifest}
                               {files.TextureTestManifest}  (the same splits labelled by the object's pattern)
                  time         {watch.Elapsed.TotalSeconds:F1} s
                """;
            stdout.WriteLine(FormattableString.Invariant(summary));
            return 0;
        });
        return command;
    }
}

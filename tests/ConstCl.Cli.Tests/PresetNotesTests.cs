using ConstCl.Cli.Commands;
using ConstCl.Datasets;

namespace ConstCl.Cli.Tests;

public class PresetNotesTests
{
    [Theory]
    [InlineData("tiny", 300, "--steps 300 is 6.25 % of the tiny preset's 4,800 steps")]
    [InlineData("Tiny", 2400, "--steps 2400 is 50 % of the tiny preset's 4,800 steps")]
    [InlineData("small", 300, "--steps 300 is 50 % of the small preset's 600 steps")]
    [InlineData("paper", 600, "--steps 600 is 0.3 % of the paper preset's 200,000 steps")]
    public void CuttingAPresetToHalfItsStepsOrFewerGivesANote(string preset, int steps, string expected)
    {
        var note = PresetNotes.ShortRun(preset, steps);
        Assert.NotNull(note);
        Assert.StartsWith(expected, note);
        Assert.Equal(preset != "small", note.Contains("use --preset small", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("tiny", null)]
    [InlineData("tiny", 2401)]
    [InlineData("tiny", 4800)]
    [InlineData("tiny", 9600)]
    [InlineData("small", 301)]
    public void NoStepsNoteWhenTheStepsAreTheDefaultOrMoreThanHalfOfThem(string preset, int? steps) =>
        Assert.Null(PresetNotes.ShortRun(preset, steps));

    [Theory]
    [InlineData("tiny", "XVID", 2400)]
    [InlineData("tiny", "mjpg ", 300)]
    [InlineData(" TINY", "avc1", 4799)]
    [InlineData("tiny", "mpeg4", 1200)]
    public void TinyCutShortOnALossyCodecGivesANote(string preset, string codec, int steps)
    {
        var note = PresetNotes.LossySource(preset, codec, steps);
        Assert.NotNull(note);
        Assert.StartsWith($"the videos are {codec.Trim()}, a lossy codec, and --steps {steps} is shorter than the tiny preset's 4,800", note);
        Assert.Contains("use --preset small", note);
        Assert.EndsWith("leave out --steps to run tiny's full 4,800.", note);
    }

    [Theory]
    [InlineData("tiny", "XVID", null)]     // the preset's own 4,800 steps gained on XviD
    [InlineData("tiny", "XVID", 4800)]
    [InlineData("tiny", "XVID", 9600)]
    [InlineData("tiny", "FFV1", 300)]      // constcl synth's lossless files
    [InlineData("tiny", "ffv1", 300)]
    [InlineData("tiny", "HFYU", 300)]
    [InlineData("tiny", null, 300)]        // no readable video among the first
    [InlineData("small", "XVID", 300)]     // small was measured on XviD and gains
    [InlineData("paper", "XVID", 300)]
    public void NoCodecNoteAtFullStepsOrForLosslessOrUnknownCodecsOrOtherPresets(string preset, string? codec, int? steps) =>
        Assert.Null(PresetNotes.LossySource(preset, codec, steps));

    [Fact]
    public void FirstCodecSkipsUnreadableVideosAndReadsTheFirstReadableOne()
    {
        var dir = Path.Combine(Path.GetTempPath(), "constcl-preset-notes-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var missing = Path.Combine(dir, "missing.avi");
        var broken = Path.Combine(dir, "broken.avi");
        File.WriteAllBytes(broken, [1, 2, 3, 4]);
        var mjpg = Path.Combine(dir, "a.avi");
        ScanCommandTests.WriteVideo(mjpg, "MJPG", 4);

        static VideoDataset Dataset(params string[] paths) =>
            new("test", paths.Select(p => new VideoEntry(p, null)).ToList(), [], new DatasetLoadReport("test", paths.Length, paths.Length, []));

        Assert.Equal("MJPG", PresetNotes.FirstCodec(Dataset(missing, broken, mjpg)));
        Assert.Null(PresetNotes.FirstCodec(Dataset(missing, broken)));
        Assert.Null(PresetNotes.FirstCodec(Dataset(missing, broken, missing, mjpg)));   // only the first three are tried
        Assert.StartsWith("the videos are MJPG, a lossy codec", PresetNotes.LossySource("tiny", Dataset(missing, mjpg), 2400));
        Assert.Null(PresetNotes.LossySource("tiny", Dataset(missing, mjpg), null));
        Assert.Null(PresetNotes.LossySource("small", Dataset(missing, mjpg), 300));
    }
}

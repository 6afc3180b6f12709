using ConstCl.Cli.Commands;
using ConstCl.Datasets;

namespace ConstCl.Cli.Tests;

public class PresetNotesTests
{
    [Theory]
    [InlineData("tiny", 300, "--steps 300 is 12.5 % of the tiny preset's 2,400 steps")]
    [InlineData("Tiny", 1200, "--steps 1200 is 50 % of the tiny preset's 2,400 steps")]
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
    [InlineData("tiny", 1201)]
    [InlineData("tiny", 4800)]
    [InlineData("small", 301)]
    public void NoStepsNoteWhenTheStepsAreTheDefaultOrMoreThanHalfOfThem(string preset, int? steps) =>
        Assert.Null(PresetNotes.ShortRun(preset, steps));

    [Theory]
    [InlineData("tiny", "XVID")]
    [InlineData("tiny", "mjpg ")]
    [InlineData(" TINY", "avc1")]
    [InlineData("tiny", "mpeg4")]
    public void TinyOnALossyCodecGivesANote(string preset, string codec)
    {
        var note = PresetNotes.LossySource(preset, codec);
        Assert.NotNull(note);
        Assert.StartsWith($"the videos are {codec.Trim()}, a lossy codec", note);
        Assert.Contains("use --preset small", note);
        Assert.Contains("--steps 4800", note);
    }

    [Theory]
    [InlineData("tiny", "FFV1")]       // constcl synth's lossless files
    [InlineData("tiny", "ffv1")]
    [InlineData("tiny", "HFYU")]
    [InlineData("tiny", null)]         // no readable video among the first
    [InlineData("small", "XVID")]      // small was measured on XviD and gains
    [InlineData("paper", "XVID")]
    public void NoCodecNoteForLosslessOrUnknownCodecsOrOtherPresets(string preset, string? codec) =>
        Assert.Null(PresetNotes.LossySource(preset, codec));

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
        Assert.StartsWith("the videos are MJPG, a lossy codec", PresetNotes.LossySource("tiny", Dataset(missing, mjpg)));
        Assert.Null(PresetNotes.LossySource("small", Dataset(missing, mjpg)));
    }
}

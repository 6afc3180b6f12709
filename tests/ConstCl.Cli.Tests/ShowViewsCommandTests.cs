using System.CommandLine;
using ConstCl.Cli.Pictures;
using ConstCl.Datasets;
using ConstCl.Training;

namespace ConstCl.Cli.Tests;

/// <summary><c>constcl show-views</c> on a synthetic AVI with the Tiny preset.</summary>
public sealed class ShowViewsCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-views-" + Guid.NewGuid().ToString("N"));

    public ShowViewsCommandTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void Draws_one_view_pair_of_the_expected_size_the_same_for_the_same_seed()
    {
        string video = Path.Combine(_root, "v.avi");
        var synth = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 1, Frames = 24, Size = 32, Seed = 5 });
        VideoFileWriter.WriteMjpegAvi(video, synth.Generate(1, 0).Frames, 25);
        var model = PretrainingOptions.ForPreset("tiny").Model;
        var expected = ViewPairPicture.Size(model.InputFrames, model.InputSize);

        string first = Path.Combine(_root, "a.png"), second = Path.Combine(_root, "b.png"), slic = Path.Combine(_root, "slic.png");
        var (code, stdout, stderr) = Run("show-views", "--video", video, "--preset", "tiny", "--seed", "3", "--out", first);
        Assert.True(code == 0, stderr);
        Assert.Contains($"{model.InputFrames} frames per view", stdout, StringComparison.Ordinal);
        Assert.Equal(expected, PictureAssert.DecodesAsPng(first));
        Assert.Equal(0, Run("show-views", "--video", video, "--preset", "tiny", "--seed", "3", "--out", second).Code);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(0, Run("show-views", "--video", video, "--preset", "tiny", "--seed", "3", "--regions", "slic", "--out", slic).Code);
        Assert.Equal(expected, PictureAssert.DecodesAsPng(slic));

        Assert.Equal(1, Run("show-views", "--video", Path.Combine(_root, "missing.avi"), "--out", first).Code);
        Assert.Equal(2, Run("show-views", "--video", video, "--regions", "boxes").Code);
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);
}

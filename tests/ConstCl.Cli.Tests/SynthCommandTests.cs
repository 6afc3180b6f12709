using System.CommandLine;
using ConstCl.Cli;
using ConstCl.Datasets;

namespace ConstCl.Cli.Tests;

public sealed class SynthCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-synth-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);

    [Fact]
    public void WritesVideosManifestsAndSummary()
    {
        string dir = Path.Combine(_root, "a");
        (int code, string stdout, _) = Run("synth", "--out", dir, "--classes", "3", "--videos-per-class", "4", "--seed", "9", "--frames", "6", "--size", "32", "--test-fraction", "0.25");

        Assert.Equal(0, code);
        Assert.Contains("12 (9 train, 3 test)", stdout);
        Assert.Contains("move_left, move_right, move_up", stdout);
        VideoDataset all = VideoManifest.Read(Path.Combine(dir, "manifest.csv"));
        VideoDataset train = VideoManifest.Read(Path.Combine(dir, "train.csv"), all.ClassNames);
        VideoDataset test = VideoManifest.Read(Path.Combine(dir, "test.csv"), all.ClassNames);
        Assert.Equal(["move_left", "move_right", "move_up"], all.ClassNames);
        Assert.Equal([4, 4, 4], all.CountPerClass());
        Assert.Equal([3, 3, 3], train.CountPerClass());
        Assert.Equal([1, 1, 1], test.CountPerClass());
        Assert.True(all.Report.IsComplete);
        Assert.All(test.Entries, e => Assert.EndsWith("_0003.avi", e.Path));
        Assert.All(all.Entries, e => Assert.True(new FileInfo(e.Path).Length > 0));
    }

    [Fact]
    public void SameSeedWritesTheSameFiles()
    {
        string a = Path.Combine(_root, "a"), b = Path.Combine(_root, "b"), c = Path.Combine(_root, "c");
        string[] common = ["--classes", "2", "--videos-per-class", "2", "--frames", "4", "--size", "16"];
        Assert.Equal(0, Run(["synth", "--out", a, "--seed", "1", .. common]).Code);
        Assert.Equal(0, Run(["synth", "--out", b, "--seed", "1", .. common]).Code);
        Assert.Equal(0, Run(["synth", "--out", c, "--seed", "2", .. common]).Code);

        string rel = Path.Combine("move_right", "move_right_0001.avi");
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, rel)), File.ReadAllBytes(Path.Combine(b, rel)));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, rel)), File.ReadAllBytes(Path.Combine(c, rel)));
        Assert.Equal(File.ReadAllText(Path.Combine(a, "manifest.csv")), File.ReadAllText(Path.Combine(b, "manifest.csv")));
    }

    [Fact]
    public void OutOfRangeOptionFailsWithItsName()
    {
        (int code, _, string stderr) = Run("synth", "--out", Path.Combine(_root, "x"), "--classes", "20");
        Assert.Equal(2, code);
        Assert.Contains("Classes", stderr);
        Assert.False(Directory.Exists(Path.Combine(_root, "x")));
    }

    [Fact]
    public void MissingOutIsAParseError()
    {
        (int code, _, _) = Run("synth", "--classes", "3");
        Assert.NotEqual(0, code);
    }
}

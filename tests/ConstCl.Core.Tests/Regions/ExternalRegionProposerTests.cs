using ConstCl.Regions;
using ConstCl.Video;

namespace ConstCl.Core.Tests.Regions;

public sealed class ExternalRegionProposerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-regions-" + Guid.NewGuid().ToString("N"));

    public ExternalRegionProposerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(_dir, "boxes.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private static FrameSequence Frames(params int[] indices) =>
        new(indices.Select(_ => new byte[2 * 2 * 3]).ToList(), 2, 2, indices);

    [Fact]
    public void PixelRowsAreNormalisedRankedByScoreAndPadded()
    {
        string path = Write(
            "# detector: test\n" +
            "video,frame,x1,y1,x2,y2,score,width,height\n" +
            "a/v1.avi,0,32,24,160,120,0.5,320,240\n" +
            "a/v1.avi,0,0,0,320,240,0.9,320,240\n" +
            "\n" +
            "a/v1.avi,0,-5,10,330,250,0.7,320,240\n" +   // overshoot: clipped to the frame
            "a/v1.avi,10,0,0,160,240,0.1,320,240\n");
        var p = ExternalRegionProposer.Load(path, new ExternalRegionOptions { BoxesPerFrame = 4 });
        RegionProposals r = p.Propose(Frames(0), new Random(0), Path.Combine(_dir, "a", "v1.avi"));

        Assert.Equal(new[]
        {
            new RegionBox(0f, 0f, 1f, 1f),                      // score 0.9
            new RegionBox(0f, 10f / 240, 1f, 1f),               // 0.7, clipped
            new RegionBox(0.1f, 0.1f, 0.5f, 0.5f),              // 0.5
            new RegionBox(0f, 0f, 1f, 1f),                      // padding: first box again
        }, r.Boxes[0]);
        Assert.Equal(new[] { true, true, true, false }, r.Valid[0]);
    }

    [Fact]
    public void NormalisedRowsNearestFrameAndTopN()
    {
        string path = Write(
            "VIDEO,Frame,x1,y1,x2,y2\n" +
            "v.mp4,4,0.1,0.1,0.2,0.2\n" +
            "v.mp4,4,0.3,0.3,0.4,0.4\n" +
            "v.mp4,4,0.5,0.5,0.6,0.6\n" +
            "v.mp4,10,0,0,1,1\n");
        var p = ExternalRegionProposer.Load(path, new ExternalRegionOptions { BoxesPerFrame = 2 });
        // Frames 0 → 4 (nearest), 7 → 4 (tie between 4 and 10: the earlier), 8 → 10, 12 → 10.
        RegionProposals r = p.Propose(Frames(0, 7, 8, 12), new Random(0), "v.mp4");
        var first = new[] { new RegionBox(0.1f, 0.1f, 0.2f, 0.2f), new RegionBox(0.3f, 0.3f, 0.4f, 0.4f) }; // file order without scores
        Assert.Equal(first, r.Boxes[0]);
        Assert.Equal(first, r.Boxes[1]);
        Assert.Equal(new[] { RegionBox.FullFrame, RegionBox.FullFrame }, r.Boxes[2]);
        Assert.Equal(new[] { true, false }, r.Valid[3]);
        Assert.True(p.ContainsVideo(Path.Combine(_dir, "v.mp4")));
        Assert.False(p.ContainsVideo("other.mp4"));
    }

    [Fact]
    public void ProposeFrameLooksUpTheGivenFrameIndex()
    {
        string path = Write("video,frame,x1,y1,x2,y2,score\nv.mp4,3,0,0,0.5,0.5,1\nv.mp4,30,0.5,0.5,1,1,1\n");
        RegionBox[] boxes = ExternalRegionProposer.Load(path, new ExternalRegionOptions { BoxesPerFrame = 1 })
            .ProposeFrame(new byte[2 * 2 * 3], 2, 2, new Random(0), out bool[] valid, "v.mp4", frameIndex: 25);
        Assert.Equal(new[] { new RegionBox(0.5f, 0.5f, 1f, 1f) }, boxes); // 25 is nearer to 30 than to 3
        Assert.Equal(new[] { true }, valid);
    }

    [Fact]
    public void QuotedPathsWithCommasAreRead()
    {
        string path = Write("video,frame,x1,y1,x2,y2\n\"odd, \"\"name\"\".avi\",0,0,0,0.5,0.5\n");
        var p = ExternalRegionProposer.Load(path);
        Assert.True(p.ContainsVideo("odd, \"name\".avi"));
    }

    [Fact]
    public void MissingVideoIsAnErrorUnlessDeclaredEmpty()
    {
        string path = Write("video,frame,x1,y1,x2,y2\nv.mp4,0,0,0,0.5,0.5\n");
        var e = Assert.Throws<KeyNotFoundException>(() => ExternalRegionProposer.Load(path).Propose(Frames(0), new Random(0), "w.mp4"));
        Assert.Contains("w.mp4", e.Message);
        Assert.Contains(path, e.Message);

        RegionProposals r = ExternalRegionProposer.Load(path, new ExternalRegionOptions { MissingVideoIsEmpty = true })
            .Propose(Frames(0), new Random(0), "w.mp4");
        Assert.All(r.Boxes[0], b => Assert.Equal(RegionBox.FullFrame, b));
        Assert.All(r.Valid[0], Assert.False);
        Assert.Throws<ArgumentException>(() => ExternalRegionProposer.Load(path).Propose(Frames(0), new Random(0)));
    }

    [Theory]
    [InlineData("video,frame,x1,y1,x2\nv,0,0,0,1\n", 1, "lacks column(s) y2")]
    [InlineData("video,frame,xmin,y1,x2,y2\n", 1, "unknown column 'xmin'")]
    [InlineData("video,frame,x1,y1,x2,y2,width\n", 1, "width and height")]
    [InlineData("video,frame,x1,y1,x2,y2\nv,0,0,0,1\n", 2, "expected 6 fields")]
    [InlineData("# c\nvideo,frame,x1,y1,x2,y2\nv,0,0,0,1,1\nv,-1,0,0,1,1\n", 4, "frame '-1'")]
    [InlineData("video,frame,x1,y1,x2,y2\nv,0,0,0,abc,1\n", 2, "x2 'abc' is not a finite number")]
    [InlineData("video,frame,x1,y1,x2,y2\nv,0,10,20,100,200\n", 2, "outside [0, 1]")]
    [InlineData("video,frame,x1,y1,x2,y2\nv,0,0.5,0,0.4,1\n", 2, "empty or inverted")]
    [InlineData("video,frame,x1,y1,x2,y2,width,height\nv,0,400,0,500,10,320,240\n", 2, "empty or inverted")]
    [InlineData("video,frame,x1,y1,x2,y2\n,0,0,0,1,1\n", 2, "video path is empty")]
    [InlineData("video,frame,x1,y1,x2,y2\n\"v,0,0,0,1,1\n", 2, "unterminated")]
    [InlineData("# only a comment\n", 1, "no header")]
    public void MalformedFilesNameFileAndLine(string text, int line, string fragment)
    {
        string path = Write(text);
        var e = Assert.Throws<InvalidDataException>(() => ExternalRegionProposer.Load(path));
        Assert.Contains($"{path}:{line}:", e.Message);
        Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void MissingFileIsReported()
    {
        string path = Path.Combine(_dir, "none.csv");
        var e = Assert.Throws<FileNotFoundException>(() => ExternalRegionProposer.Load(path));
        Assert.Contains(path, e.Message);
    }
}

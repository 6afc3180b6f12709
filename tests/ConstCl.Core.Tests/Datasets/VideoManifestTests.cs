using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

public class VideoManifestTests
{
    [Fact]
    public void RoundTripKeepsPathsLabelsAndQuotedCommas()
    {
        using var t = new DatasetTestFiles();
        string inside = t.Touch("videos/cls a/clip, one.avi");
        string quoted = t.Touch("videos/b/say \"hi\".avi");
        using var other = new DatasetTestFiles();
        string outside = other.Touch("far/away.mp4");
        VideoEntry[] entries =
        [
            new(inside, "jump, high", 0),
            new(quoted, "walk", 1),
            new(outside, null),
        ];
        string manifest = Path.Combine(t.Root, "manifest.csv");

        VideoManifest.Write(manifest, entries);
        string[] lines = File.ReadAllLines(manifest);
        VideoDataset back = VideoManifest.Read(manifest);

        // Relative with '/' inside the manifest's folder, absolute outside it; commas and quotes quoted.
        Assert.Equal("path,label", lines[0]);
        Assert.Equal("\"videos/cls a/clip, one.avi\",\"jump, high\"", lines[1]);
        Assert.Equal("\"videos/b/say \"\"hi\"\".avi\",walk", lines[2]);
        Assert.Equal(outside + ",", lines[3]);
        Assert.Equal(entries.Select(e => e.Path), back.Entries.Select(e => e.Path));
        Assert.Equal(["jump, high", "walk", null], back.Entries.Select(e => e.Label));
        Assert.Equal(["jump, high", "walk"], back.ClassNames);
        Assert.Equal([0, 1, null], back.Entries.Select(e => e.ClassIndex));
        Assert.Empty(Directory.GetFiles(t.Root, "*.tmp*")); // the temporary file was renamed away
    }

    [Fact]
    public void TimesRoundTripWhenPresent()
    {
        using var t = new DatasetTestFiles();
        string v = t.Touch("v.mp4");
        string manifest = Path.Combine(t.Root, "m.csv");
        VideoManifest.Write(manifest, [new VideoEntry(v, "x") { TimeStart = 1.5, TimeEnd = 11.25 }]);
        Assert.StartsWith("path,label,time_start,time_end\nv.mp4,x,1.5,11.25\n", File.ReadAllText(manifest));
        VideoEntry e = Assert.Single(VideoManifest.Read(manifest).Entries);
        Assert.Equal(1.5, e.TimeStart);
        Assert.Equal(11.25, e.TimeEnd);
    }

    [Fact]
    public void CrlfBomAndColumnOrderAreTolerated()
    {
        using var t = new DatasetTestFiles();
        t.Touch("a/1.avi");
        t.Touch("b/2.avi");
        string manifest = t.Write("list.csv", "label, path ,note\r\nb,b/2.avi,x\r\n\r\na,a/1.avi,\"y,z\"\r\n", bom: true);

        VideoDataset ds = VideoManifest.Read(manifest);

        Assert.Equal(["a", "b"], ds.ClassNames);
        Assert.Equal([Path.Combine(t.Root, "b", "2.avi"), Path.Combine(t.Root, "a", "1.avi")], ds.Entries.Select(e => e.Path));
        Assert.Equal([1, 0], ds.Entries.Select(e => e.ClassIndex!.Value));
    }

    [Fact]
    public void GivenClassListFixesIndicesAndRejectsUnknownLabels()
    {
        using var t = new DatasetTestFiles();
        t.Touch("v.avi");
        string ok = t.Write("ok.csv", "path,label\nv.avi,walk\n");
        string bad = t.Write("bad.csv", "path,label\nv.avi,walk\nv.avi,swim\n");

        Assert.Equal(2, Assert.Single(VideoManifest.Read(ok, ["jump", "run", "walk"]).Entries).ClassIndex);
        var ex = Assert.Throws<DatasetFormatException>(() => VideoManifest.Read(bad, ["walk"]));
        Assert.Equal(3, ex.LineNumber);
    }

    [Fact]
    public void MissingAndDuplicateRowsAreReportedNotDropped()
    {
        using var t = new DatasetTestFiles();
        t.Touch("v.avi");
        string manifest = t.Write("m.csv", "path,label\nv.avi,a\ngone.avi,a\nv.avi,a\n");

        VideoDataset ds = VideoManifest.Read(manifest);

        Assert.Equal(3, ds.Report.Listed);
        Assert.Equal(1, ds.Count);
        Assert.Equal([DatasetIssueKind.Missing, DatasetIssueKind.Duplicate], ds.Report.Issues.Select(i => i.Kind));
        Assert.Equal([3, 4], ds.Report.Issues.Select(i => i.LineNumber!.Value));
        Assert.Equal(3, VideoManifest.Read(manifest, checkFiles: false).Report.Listed);
        Assert.Equal(2, VideoManifest.Read(manifest, checkFiles: false).Count); // only the duplicate is left out
    }

    [Fact]
    public void AListedFrameFolderIsAVideoAndAListedFolderWithoutFramesIsReported()
    {
        // Issue 14: every listed folder was "Unreadable", though the decoder reads a folder of frames as one video.
        using var t = new DatasetTestFiles();
        t.Touch("frames/img_1.jpg");
        Directory.CreateDirectory(Path.Combine(t.Root, "empty"));
        t.Touch("videos/v.avi");
        string manifest = t.Write("m.csv", "path,label\nframes,a\nempty,a\nvideos,a\n");

        VideoDataset ds = VideoManifest.Read(manifest);

        Assert.Equal(Path.Combine(t.Root, "frames"), Assert.Single(ds.Entries).Path);
        Assert.Equal(3, ds.Report.Listed);
        Assert.Equal(2, ds.Report.UnreadableCount);
        Assert.Equal([3, 4], ds.Report.Issues.Select(i => i.LineNumber!.Value));
        Assert.All(ds.Report.Issues, i => Assert.Contains("without frame images", i.Reason));
    }

    [Theory]
    [InlineData("path,label\n\"a.avi,x\n", 2, "unterminated")]
    [InlineData("path,label\na.avi,x,y\n", 2, "expected 2 fields")]
    [InlineData("path,label\na.avi,x\nb\"c.avi,y\n", 3, "stray quote")]
    [InlineData("file,label\na.avi,x\n", 1, "no 'path' column")]
    [InlineData("path,label\n,x\n", 2, "empty path")]
    [InlineData("path,label\n\"a.avi\"x,y\n", 2, "after the closing quote")]
    public void MalformedManifestNamesFileAndLine(string content, int line, string reason)
    {
        using var t = new DatasetTestFiles();
        string manifest = t.Write("m.csv", content);

        var ex = Assert.Throws<DatasetFormatException>(() => VideoManifest.Read(manifest));

        Assert.Equal(manifest, ex.FilePath);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(reason, ex.Message);
        Assert.StartsWith($"{manifest}:{line}:", ex.Message);
    }
}

using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

public class FolderDatasetTests
{
    [Fact]
    public void ClassesAreSortedFoldersWithVideos()
    {
        using var t = new DatasetTestFiles();
        t.Touch("walk/b.mp4");
        t.Touch("walk/a.AVI");
        t.Touch("walk/notes.txt");
        t.Touch("jump/x.webm");
        t.Touch("empty/readme.md");
        t.Touch(".cache/y.avi");

        VideoDataset ds = FolderDataset.Load(t.Root);

        Assert.Equal(["jump", "walk"], ds.ClassNames);
        Assert.Equal(["x.webm", "a.AVI", "b.mp4"], ds.Entries.Select(e => Path.GetFileName(e.Path)));
        Assert.Equal([0, 1, 1], ds.Entries.Select(e => e.ClassIndex!.Value));
        Assert.True(ds.Report.IsComplete);
        Assert.Equal(3, ds.Report.Listed);
    }

    [Fact]
    public void ExtensionFilterIsHonoured()
    {
        using var t = new DatasetTestFiles();
        t.Touch("walk/a.avi");
        t.Touch("walk/b.mp4");
        VideoDataset ds = FolderDataset.Load(t.Root, ["mp4"]);
        Assert.Equal("b.mp4", Path.GetFileName(Assert.Single(ds.Entries).Path));
    }

    [Fact]
    public void HmdbFixtureReadsAsFolderPerClass()
    {
        // The split folder holds only .txt files, so it is not a class.
        VideoDataset ds = FolderDataset.Load(Path.Combine(DatasetTestFiles.Fixtures, "hmdb51"));
        Assert.Equal(["brush_hair", "cartwheel", "ride_bike"], ds.ClassNames);
        Assert.Equal(18, ds.Count);
    }

    [Fact]
    public void NestedSubFoldersAreSearchedAndAFolderOfFramesIsOneVideo()
    {
        // Issue 14: videos one level further down used to vanish without a word.
        using var t = new DatasetTestFiles();
        t.Touch("walk/a.avi");
        t.Touch("walk/outdoor/b.mp4");
        t.Touch("walk/outdoor/deeper/c.mkv");
        t.Touch("walk/.hidden/d.avi");
        t.Touch("jump/clip7/img_00001.jpg");   // extracted frames: one video
        t.Touch("jump/clip7/img_00002.jpg");
        t.Touch("jump/notes/readme.txt");      // neither videos nor frames: not a video

        VideoDataset ds = FolderDataset.Load(t.Root);

        Assert.Equal(["jump", "walk"], ds.ClassNames);
        string R(string relative) => Path.Combine(t.Root, relative);
        Assert.Equal([R("jump/clip7"), R("walk/a.avi"), R("walk/outdoor/b.mp4"), R("walk/outdoor/deeper/c.mkv")], ds.Entries.Select(e => e.Path));
        Assert.Equal([0, 1, 1, 1], ds.Entries.Select(e => e.ClassIndex!.Value));
        Assert.True(ds.Report.IsComplete);
    }

    [Fact]
    public void VideosOutsideEveryClassFolderAreReportedNotDropped()
    {
        using var t = new DatasetTestFiles();
        t.Touch("walk/a.avi");
        t.Touch("loose.mp4");
        t.Touch("frames/0001.png");            // a frame folder where a class folder should be
        t.Touch("notes.txt");

        VideoDataset ds = FolderDataset.Load(t.Root);

        Assert.Equal(["walk"], ds.ClassNames);
        Assert.Single(ds.Entries);
        Assert.Equal(3, ds.Report.Listed);
        Assert.Equal(2, ds.Report.OutsideClassFolderCount);
        Assert.Equal([Path.Combine(t.Root, "loose.mp4"), Path.Combine(t.Root, "frames")], ds.Report.Issues.Select(i => i.Path));
        Assert.All(ds.Report.Issues, i => Assert.Contains("class folder", i.Reason));
        Assert.Contains("2 outside class folders", ds.Report.ToString());
    }
}

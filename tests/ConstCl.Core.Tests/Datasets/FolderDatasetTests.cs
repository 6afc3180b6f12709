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
}

using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

public class Hmdb51Tests
{
    private static string Root => Path.Combine(DatasetTestFiles.Fixtures, "hmdb51");

    // Fixture (make_fixtures.py): 3 classes × 6 videos; per split and class 3 videos are marked 1
    // (train), 2 marked 2 (test), 1 marked 0 (unused); cartwheel_test_split1.txt also marks a video
    // that is not on disk as train.
    [Theory]
    [InlineData(1, DatasetSubset.Train, 10, 9, 1)]
    [InlineData(1, DatasetSubset.Test, 6, 6, 0)]
    [InlineData(2, DatasetSubset.Train, 9, 9, 0)]
    [InlineData(2, DatasetSubset.Test, 6, 6, 0)]
    [InlineData(3, DatasetSubset.Train, 9, 9, 0)]
    [InlineData(3, DatasetSubset.Test, 6, 6, 0)]
    public void OfficialSplitsHaveExactCounts(int split, DatasetSubset subset, int listed, int loaded, int missing)
    {
        VideoDataset ds = Hmdb51.Load(Root, split, subset);

        Assert.Equal(["brush_hair", "cartwheel", "ride_bike"], ds.ClassNames);
        Assert.Equal(listed, ds.Report.Listed);
        Assert.Equal(loaded, ds.Count);
        Assert.Equal(missing, ds.Report.MissingCount);
        int perClass = subset == DatasetSubset.Train ? 3 : 2;
        Assert.Equal([perClass, perClass, perClass], ds.CountPerClass());
        Assert.All(ds.Entries, e => Assert.Equal(Path.GetFileName(Path.GetDirectoryName(e.Path)), e.Label));
    }

    [Theory]
    [InlineData(1, new[] { 0, 1, 2 }, new[] { 3, 4 })]
    [InlineData(2, new[] { 1, 2, 3 }, new[] { 4, 5 })]
    [InlineData(3, new[] { 2, 3, 4 }, new[] { 0, 5 })]
    public void MarkersSelectTheRightVideos(int split, int[] train, int[] test)
    {
        static int[] Indices(VideoDataset ds, string cls) => ds.Entries
            .Where(e => e.Label == cls)
            .Select(e => int.Parse(Path.GetFileName(e.Path).Split('_')[1], System.Globalization.CultureInfo.InvariantCulture))
            .Order().ToArray();

        Assert.Equal(train, Indices(Hmdb51.Load(Root, split, DatasetSubset.Train), "ride_bike"));
        Assert.Equal(test, Indices(Hmdb51.Load(Root, split, DatasetSubset.Test), "ride_bike"));
    }

    [Fact]
    public void MissingVideoIsReported()
    {
        VideoDataset ds = Hmdb51.Load(Root, 1, DatasetSubset.Train);
        DatasetIssue issue = Assert.Single(ds.Report.Issues);
        Assert.Equal(DatasetIssueKind.Missing, issue.Kind);
        Assert.EndsWith(Path.Combine("cartwheel", "Sample_9_cartwheel_missing.avi"), issue.Path);
        Assert.EndsWith("cartwheel_test_split1.txt", issue.SourceFile);
        Assert.Equal(7, issue.LineNumber);
    }

    [Fact]
    public void ExplicitSplitFolderAndBadMarkerNamesLine()
    {
        using var t = new DatasetTestFiles();
        t.Touch("videos/jump/a.avi");
        string split = t.Write("lists/jump_test_split2.txt", "a.avi 1 \r\nb.avi 7 \r\n");

        var ex = Assert.Throws<DatasetFormatException>(() => Hmdb51.Load(Path.Combine(t.Root, "videos"), 2, DatasetSubset.Train, Path.Combine(t.Root, "lists")));
        Assert.Equal(split, ex.FilePath);
        Assert.Equal(2, ex.LineNumber);
    }

    [Fact]
    public void PathInsteadOfFileIsUnreadable()
    {
        using var t = new DatasetTestFiles();
        Directory.CreateDirectory(Path.Combine(t.Root, "jump", "a.avi")); // a folder where a video should be
        t.Write("splits/jump_test_split1.txt", "a.avi 2\n");

        VideoDataset ds = Hmdb51.Load(t.Root, 1, DatasetSubset.Test);
        Assert.Equal(0, ds.Count);
        Assert.Equal(1, ds.Report.UnreadableCount);
    }
}

using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

public class Ucf101Tests
{
    private static string Root => Path.Combine(DatasetTestFiles.Fixtures, "ucf101");

    // Fixture (make_fixtures.py): 3 classes × groups {1, 8, 15, 22} × 2 clips. The official test groups
    // are g01–g07 (split 1), g08–g14 (split 2), g15–g21 (split 3): 1 group × 2 clips × 3 classes = 6 test
    // videos and 18 train videos per split; trainlist01 lists one more video that is not on disk.
    [Theory]
    [InlineData(1, DatasetSubset.Train, 19, 18, 1)]
    [InlineData(1, DatasetSubset.Test, 6, 6, 0)]
    [InlineData(2, DatasetSubset.Train, 18, 18, 0)]
    [InlineData(2, DatasetSubset.Test, 6, 6, 0)]
    [InlineData(3, DatasetSubset.Train, 18, 18, 0)]
    [InlineData(3, DatasetSubset.Test, 6, 6, 0)]
    public void OfficialSplitsHaveExactCounts(int split, DatasetSubset subset, int listed, int loaded, int missing)
    {
        VideoDataset ds = Ucf101.Load(Root, split, subset);

        Assert.Equal(["ApplyEyeMakeup", "Basketball", "HandstandPushups"], ds.ClassNames);
        Assert.Equal(listed, ds.Report.Listed);
        Assert.Equal(loaded, ds.Count);
        Assert.Equal(missing, ds.Report.MissingCount);
        int perClass = loaded / 3;
        Assert.Equal([perClass, perClass, perClass], ds.CountPerClass());
        foreach (VideoEntry e in ds.Entries)
        {
            Assert.True(Path.IsPathRooted(e.Path));
            Assert.True(File.Exists(e.Path), e.Path);
            Assert.Equal(Path.GetFileName(Path.GetDirectoryName(e.Path)), e.Label);
            Assert.Equal(ds.ClassNames[e.ClassIndex!.Value], e.Label);
        }
    }

    [Theory]
    [InlineData(1, "g01")]
    [InlineData(2, "g08")]
    [InlineData(3, "g15")]
    public void TestListsHoldExactlyTheOfficialTestGroup(int split, string group)
    {
        VideoDataset test = Ucf101.Load(Root, split, DatasetSubset.Test);
        VideoDataset train = Ucf101.Load(Root, split, DatasetSubset.Train);

        Assert.All(test.Entries, e => Assert.Contains("_" + group + "_", Path.GetFileName(e.Path), StringComparison.Ordinal));
        Assert.All(train.Entries, e => Assert.DoesNotContain("_" + group + "_", Path.GetFileName(e.Path), StringComparison.Ordinal));
        Assert.Empty(test.Entries.Select(e => e.Path).Intersect(train.Entries.Select(e => e.Path)));
    }

    [Fact]
    public void ListedButMissingVideoIsReportedWithFileAndLine()
    {
        VideoDataset ds = Ucf101.Load(Root, 1, DatasetSubset.Train);

        DatasetIssue issue = Assert.Single(ds.Report.Issues);
        Assert.Equal(DatasetIssueKind.Missing, issue.Kind);
        Assert.EndsWith(Path.Combine("UCF-101", "Basketball", "v_Basketball_g22_c03.avi"), issue.Path);
        Assert.EndsWith("trainlist01.txt", issue.SourceFile);
        Assert.Equal(19, issue.LineNumber); // 18 present videos are listed first
        Assert.False(ds.Report.IsComplete);
        Assert.Contains("1 missing", ds.Report.ToString());
    }

    [Fact]
    public void FolderQuirkHandstandPushupsKeepsFolderLabel()
    {
        // Real UCF101 names the files v_HandStandPushups_* inside the HandstandPushups folder.
        VideoDataset ds = Ucf101.Load(Root, 1, DatasetSubset.Test);
        VideoEntry e = Assert.Single(ds.Entries, e => e.Path.EndsWith("v_HandStandPushups_g01_c01.avi", StringComparison.Ordinal));
        Assert.Equal("HandstandPushups", e.Label);
        Assert.Equal(2, e.ClassIndex);
    }

    [Fact]
    public void VideoFolderItselfIsAcceptedAsRoot()
    {
        VideoDataset ds = Ucf101.Load(Path.Combine(Root, "UCF-101"), 2, DatasetSubset.Test);
        Assert.Equal(6, ds.Count);
    }

    [Fact]
    public void WrongClassNumberNamesFileAndLine()
    {
        using var t = new DatasetTestFiles();
        t.Write("ucfTrainTestlist/classInd.txt", "1 A\r\n2 B\r\n");
        t.Touch("UCF-101/A/v_A_g01_c01.avi");
        string list = t.Write("ucfTrainTestlist/trainlist01.txt", "A/v_A_g01_c01.avi 1\r\nA/v_A_g01_c02.avi 2\r\n");

        var ex = Assert.Throws<DatasetFormatException>(() => Ucf101.Load(t.Root, 1, DatasetSubset.Train));
        Assert.Equal(list, ex.FilePath);
        Assert.Equal(2, ex.LineNumber);
        Assert.StartsWith(list + ":2:", ex.Message);
    }

    [Theory]
    [InlineData("A/v_A_g01_c01.avi x", 1)]
    [InlineData("v_A_g01_c01.avi 1", 1)]
    [InlineData("A/v_A_g01_c01.avi 1\nC/v_C_g01_c01.avi 3", 2)]
    [InlineData("A/v_A_g01_c01.avi 1 extra", 1)]
    public void MalformedTrainLinesNameTheLine(string content, int line)
    {
        using var t = new DatasetTestFiles();
        t.Write("ucfTrainTestlist/classInd.txt", "1 A\n2 B\n");
        t.Write("ucfTrainTestlist/trainlist01.txt", content);

        var ex = Assert.Throws<DatasetFormatException>(() => Ucf101.Load(t.Root, 1, DatasetSubset.Train));
        Assert.Equal(line, ex.LineNumber);
        Assert.EndsWith("trainlist01.txt", ex.FilePath);
    }

    [Fact]
    public void ClassIndexOutOfOrderIsRejected()
    {
        using var t = new DatasetTestFiles();
        string path = t.Write("classInd.txt", "1 A\n3 B\n");
        var ex = Assert.Throws<DatasetFormatException>(() => Ucf101.ReadClassIndex(path));
        Assert.Equal(2, ex.LineNumber);
    }

    [Fact]
    public void BadSplitNumberIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ucf101.Load(Root, 4, DatasetSubset.Train));
    }
}

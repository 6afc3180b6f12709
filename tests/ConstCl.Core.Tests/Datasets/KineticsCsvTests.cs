using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

public class KineticsCsvTests
{
    private const string Csv =
        "label,youtube_id,time_start,time_end,split,is_cc\r\n" +
        "abseiling,---QUuC4vJs,3,13,train,0\r\n" +
        "\"passing American football (in game)\",-0ZnCYpxHQY,14,24,train,0\r\n" +
        "abseiling,--33Lscn6sk,4,14,val,0\r\n" +
        "air drumming,zz_missing1,0,10,train,0\r\n";

    [Fact]
    public void RowsMapToDownloaderLayoutAndCarryTimes()
    {
        using var t = new DatasetTestFiles();
        string a = t.Touch("videos/train/abseiling/---QUuC4vJs_000003_000013.mp4");
        string b = t.Touch("videos/train/passing American football (in game)/-0ZnCYpxHQY_000014_000024.mkv"); // re-muxed download
        string csv = t.Write("kinetics400/train.csv", Csv, bom: true);

        VideoDataset ds = KineticsCsv.Load(csv, Path.Combine(t.Root, "videos"), new KineticsCsvOptions { Split = "train" });

        Assert.Equal([a, b], ds.Entries.Select(e => e.Path));
        Assert.Equal(["abseiling", "air drumming", "passing American football (in game)"], ds.ClassNames);
        Assert.Equal([0, 2], ds.Entries.Select(e => e.ClassIndex!.Value));
        Assert.Equal([3.0, 14.0], ds.Entries.Select(e => e.TimeStart!.Value));
        Assert.Equal([13.0, 24.0], ds.Entries.Select(e => e.TimeEnd!.Value));
        DatasetIssue missing = Assert.Single(ds.Report.Issues);
        Assert.EndsWith(Path.Combine("train", "air drumming", "zz_missing1_000000_000010.mp4"), missing.Path);
        Assert.Equal(5, missing.LineNumber);
        Assert.Equal(3, ds.Report.Listed); // the val row is filtered out, not reported
    }

    [Fact]
    public void CustomTemplateAndUnlabelledRows()
    {
        using var t = new DatasetTestFiles();
        string v = t.Touch("flat/abc_000001_000011.webm");
        string csv = t.Write("test.csv", "youtube_id,time_start,time_end,split\nabc,1,11,test\n");

        VideoDataset ds = KineticsCsv.Load(csv, t.Root, new KineticsCsvOptions { PathTemplate = "flat/{youtube_id}_{time_start}_{time_end}.mp4" });

        VideoEntry e = Assert.Single(ds.Entries);
        Assert.Equal(v, e.Path);
        Assert.Null(e.Label);
        Assert.Null(e.ClassIndex);
        Assert.Empty(ds.ClassNames);
    }

    [Fact]
    public void SecondsAreFormattedLikeTheDownloader()
    {
        Assert.Equal("000014", KineticsCsv.FormatSeconds(14));
        Assert.Equal("123456", KineticsCsv.FormatSeconds(123456));
        Assert.Equal("000002.5", KineticsCsv.FormatSeconds(2.5));
        Assert.Equal("train/air_drumming/x_000000_000010.mp4", KineticsCsv.ExpandTemplate("{split}/{label_underscored}/{youtube_id}_{time_start}_{time_end}.mp4", "air drumming", "x", 0, 10, "train", "f", 1));
    }

    [Theory]
    [InlineData("label,youtube_id,time_start,time_end,split\na,x,abc,10,train\n", 2, "time_start")]
    [InlineData("label,youtube_id,time_start,time_end,split\na,x,1,10,train\na,y,9,3,train\n", 3, "before time_start")]
    [InlineData("label,youtube_id,time_end,split\na,x,10,train\n", 1, "'time_start'")]
    [InlineData("label,youtube_id,time_start,time_end,split\na,x,1,10\n", 2, "expected 5 fields")]
    [InlineData("label,youtube_id,time_start,time_end,split\n,x,1,10,train\n", 2, "needs 'label'")]
    public void MalformedRowsNameFileAndLine(string content, int line, string reason)
    {
        using var t = new DatasetTestFiles();
        string csv = t.Write("k.csv", content);

        var ex = Assert.Throws<DatasetFormatException>(() => KineticsCsv.Load(csv, t.Root));

        Assert.Equal(csv, ex.FilePath);
        Assert.Equal(line, ex.LineNumber);
        Assert.Contains(reason, ex.Message);
    }
}

using ConstCl.Datasets;

namespace ConstCl.Core.Tests.Datasets;

/// <summary>
/// <see cref="VideoDataset.WithinDataRoot"/> (issue 14, path policy): a manifest may name any readable path; confined to a
/// data root, every video outside it, including one reached through a symbolic link, is left out and reported.
/// </summary>
public sealed class DataRootTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-dataroot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void VideosOutsideTheRootAreReportedWhateverPathLeadsThere()
    {
        string root = Directory.CreateDirectory(Path.Combine(_dir, "root")).FullName;
        string outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "class"));
        File.WriteAllText(Path.Combine(root, "class", "a.avi"), "x");
        File.WriteAllText(Path.Combine(outside, "b.avi"), "x");
        File.WriteAllText(Path.Combine(outside, "c.avi"), "x");
        File.CreateSymbolicLink(Path.Combine(root, "link.avi"), Path.Combine(outside, "b.avi"));
        Directory.CreateSymbolicLink(Path.Combine(root, "dirlink"), outside);
        File.CreateSymbolicLink(Path.Combine(root, "inner.avi"), Path.Combine("class", "a.avi"));   // a relative link that stays inside
        string manifest = Path.Combine(root, "list.csv");
        File.WriteAllLines(manifest,
        [
            "path,label",
            "class/a.avi,x",
            "../outside/b.avi,x",
            $"{Path.Combine(outside, "c.avi")},x",
            "link.avi,x",
            "dirlink/c.avi,y",
            "inner.avi,y",
        ]);

        var all = VideoManifest.Read(manifest);
        Assert.Equal(6, all.Count);   // by default every readable path is allowed

        var confined = all.WithinDataRoot(root);
        Assert.Equal([Path.Combine(root, "class", "a.avi"), Path.Combine(root, "inner.avi")], confined.Entries.Select(e => e.Path));
        Assert.Equal(6, confined.Report.Listed);
        Assert.Equal(2, confined.Report.Loaded);
        Assert.Equal(4, confined.Report.OutsideDataRootCount);
        Assert.All(confined.Report.Issues, i => Assert.Contains($"outside the data root '{root}'", i.Reason));
        Assert.Equal(all.ClassNames, confined.ClassNames);
    }

    [Fact]
    public void ARootThatIsNotAFolderIsAnError()
    {
        var empty = new VideoDataset("none", [], [], new DatasetLoadReport("none", 0, 0, []));
        var ex = Assert.Throws<DirectoryNotFoundException>(() => empty.WithinDataRoot(Path.Combine(_dir, "nope")));
        Assert.Contains("nope", ex.Message);
    }
}

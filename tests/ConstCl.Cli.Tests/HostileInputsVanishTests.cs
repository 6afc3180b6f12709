using System.CommandLine;
using System.Text.Json;
using ConstCl.Cli.Commands;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Video;

namespace ConstCl.Cli.Tests;

/// <summary>A Tiny encoder (4×32² clips) and 20 synthetic 8-frame 32² videos (2 classes), made once for <see cref="HostileInputsVanishTests"/>.</summary>
public sealed class VanishFixture : IDisposable
{
    public VanishFixture()
    {
        TorchRuntime.Initialize(2);
        Files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 10, Frames = 8, Size = 32, Seed = 4 }).WriteFiles(Path.Combine(Root, "videos"));
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 }, seed: 2);
        using var encoder = VideoEncoder.FromModel(model);
        EncoderPath = Path.Combine(Root, "tiny.constcl");
        encoder.Save(EncoderPath);
        Videos = File.ReadAllLines(Files.Manifest).Skip(1).Where(l => l.Length > 0).Select(l => Path.GetFullPath(Path.Combine(Files.Directory, l.Split(',')[0]))).ToArray();
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "constcl-vanish-" + Guid.NewGuid().ToString("N"));

    public string EncoderPath { get; }

    public SyntheticDatasetFiles Files { get; }

    /// <summary>Every video file, absolute, in manifest order.</summary>
    public string[] Videos { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Issue 14, item 4: every listed input is either used or reported, by <c>pretrain</c>, <c>embed</c>, <c>probe</c> and
/// <c>scan</c>. Missing and unreadable listings are named with their manifest line in a one-line load summary on stderr,
/// and end where the command keeps its failures (skip report, failures file, failures.csv, a failed scan line).
/// </summary>
public sealed class HostileInputsVanishTests(VanishFixture fixture) : IClassFixture<VanishFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(fixture.Root, Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);

    /// <summary>A manifest in the test folder: a header, then the given rows.</summary>
    private string Manifest(string name, IEnumerable<string> rows)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, "path,label\n" + string.Join('\n', rows) + "\n");
        return path;
    }

    private IEnumerable<string> Rows(IEnumerable<string> videos) => videos.Select(v => $"{v},{Path.GetFileName(Path.GetDirectoryName(v))}");

    [Fact]
    public void PretrainReportsAMissingListingUsesTheRestAndStopsWhenTheBudgetIsExceeded()
    {
        // 21 listed, 1 missing: within the 5 % budget (⌊1.05⌋ = 1), so the run goes on and says so.
        string manifest = Manifest("one-missing.csv", Rows(fixture.Videos).Append("gone.avi,move_left"));
        string outDir = Path.Combine(_dir, "run");
        var (code, stdout, err) = Run("pretrain", "--data", manifest, "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--out", outDir);

        Assert.True(code == ExitCodes.Success, err);
        string skipReport = Path.Combine(outDir, PretrainCommand.SkipReportFileName);
        Assert.Contains($"pretrain: manifest {manifest}: 21 listed, 20 used; 1 missing, 0 unreadable, 0 duplicate; missing and unreadable ones are in {skipReport}", err);
        Assert.Contains($"  Missing: {Path.Combine(_dir, "gone.avi")} ({manifest}:22): file not found", err);
        Assert.Contains("pretrain: done", stdout);
        SkipRecord record = Assert.Single(SkipReport.Load(skipReport));
        Assert.Equal((Path.Combine(_dir, "gone.avi"), VideoErrorKind.Missing), (record.Path, record.Kind));

        // A second missing file and a folder without frames: 3 of 23 unusable, more than ⌊1.15⌋ = 1; nothing trains.
        Directory.CreateDirectory(Path.Combine(_dir, "no-frames"));
        string worse = Manifest("three-bad.csv", Rows(fixture.Videos).Concat(["gone.avi,move_left", "gone2.avi,move_left", "no-frames,move_left"]));
        string outDir2 = Path.Combine(_dir, "run2");
        var (code2, stdout2, err2) = Run("pretrain", "--data", worse, "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--out", outDir2);

        Assert.Equal(ExitCodes.Failure, code2);
        Assert.Contains("23 listed, 20 used; 2 missing, 1 unreadable", err2);
        Assert.Contains("3 of 23 videos failed to decode, more than the failure budget of 1", err2);
        Assert.DoesNotContain("step", stdout2);
        Assert.Equal(3, SkipReport.Load(Path.Combine(outDir2, PretrainCommand.SkipReportFileName)).Count);
    }

    [Fact]
    public void EmbedSearchesNestedFoldersAndListsWhatItCouldNotEmbed()
    {
        // A folder dataset: walk/a.avi, walk/outdoor/b.avi (nested), and loose.avi directly under the root (no class).
        string root = Directory.CreateDirectory(Path.Combine(_dir, "folder")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "walk", "outdoor"));
        File.Copy(fixture.Videos[0], Path.Combine(root, "walk", "a.avi"));
        File.Copy(fixture.Videos[1], Path.Combine(root, "walk", "outdoor", "b.avi"));
        File.Copy(fixture.Videos[2], Path.Combine(root, "loose.avi"));
        string output = Path.Combine(_dir, "e.jsonl");

        var (code, stdout, err) = Run("embed", "--model", fixture.EncoderPath, "--data", root, "--out", output, "--clips", "1", "--crops", "1", "--stride", "1");

        Assert.True(code == ExitCodes.Success, err);
        string failures = EmbeddingOutput.FailureReport(output);
        Assert.Contains($"constcl embed: folder {root}: 3 listed, 2 to embed; 0 missing, 0 unreadable, 0 duplicate, 1 outside class folders; the videos not embedded are listed in {failures}", err);
        Assert.Contains($"Wrote {output}: 2 embeddings", stdout);
        Assert.Contains("1 failed", stdout);
        var rows = EmbeddingOutput.ReadFinal(output);
        Assert.Equal([Path.Combine(root, "walk", "a.avi"), Path.Combine(root, "walk", "outdoor", "b.avi")], rows.Select(r => r.Path));
        string failed = File.ReadAllText(failures);
        Assert.Contains(JsonSerializer.Serialize(Path.Combine(root, "loose.avi")), failed);
        Assert.Contains("OutsideClassFolder", failed);
    }

    [Fact]
    public void EmbedWithADataRootReportsTheListingsOutsideIt()
    {
        string inside = Directory.CreateDirectory(Path.Combine(_dir, "inside")).FullName;
        string copy = Path.Combine(inside, Path.GetFileName(fixture.Videos[0]));
        File.Copy(fixture.Videos[0], copy);
        string manifest = Manifest("mixed.csv", Rows([copy, fixture.Videos[1]]));
        string output = Path.Combine(_dir, "confined.jsonl");

        var (code, stdout, err) = Run("embed", "--model", fixture.EncoderPath, "--data", manifest, "--data-root", inside, "--out", output, "--clips", "1", "--crops", "1", "--stride", "1");

        Assert.True(code == ExitCodes.Success, err);
        Assert.Contains("2 listed, 1 to embed", err);
        Assert.Contains("1 outside --data-root", err);
        Assert.Equal([copy], EmbeddingOutput.ReadFinal(output).Select(r => r.Path));
        string failed = File.ReadAllText(EmbeddingOutput.FailureReport(output));
        Assert.Contains("OutsideDataRoot", failed);
        Assert.Contains(JsonSerializer.Serialize(fixture.Videos[1]), failed);
    }

    [Fact]
    public void ProbePrintsTheLoadSummaryAndSkipsMissingButNotRepeatedListings()
    {
        string[] train = fixture.Videos.Where((_, i) => i % 2 == 0).ToArray();
        string[] test = fixture.Videos.Where((_, i) => i % 2 == 1).ToArray();
        string trainManifest = Manifest("train.csv", Rows(train).Append("gone.avi,move_left").Append(Rows(train).First()));
        string testManifest = Manifest("test.csv", Rows(test));
        string outDir = Path.Combine(_dir, "probe");

        var (code, stdout, err) = Run("probe", "--model", fixture.EncoderPath, "--train-data", trainManifest, "--test-data", testManifest,
            "--knn", "1", "--clips", "1", "--crops", "1", "--stride", "1", "--no-cache", "--out", outDir);

        Assert.True(code == ExitCodes.Success, err);
        string failuresCsv = Path.Combine(outDir, "failures.csv");
        Assert.Contains($"constcl probe: manifest {trainManifest}: 12 listed, 10 used; 1 missing, 0 unreadable, 1 duplicate; the skipped ones are listed in {failuresCsv}", err);
        Assert.Contains($"  Duplicate: {train[0]} ({trainManifest}:13): listed again; the first listing is kept", err);
        Assert.Contains($"constcl probe: manifest {testManifest}: 10 listed, 10 used; 0 missing, 0 unreadable, 0 duplicate", err);
        Assert.Contains("1 listed video(s) skipped", stdout);                          // the repeat is used once, not skipped
        Assert.Contains("gone.avi", File.ReadAllText(failuresCsv));
        Assert.DoesNotContain(train[0], File.ReadAllText(failuresCsv));
    }

    [Fact]
    public void ScanReportsAnEmptyFolderAndTheListingsOfAManifestItDoesNotScan()
    {
        string empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        Directory.CreateDirectory(Path.Combine(empty, "nested-but-empty"));
        string repeats = Manifest("repeats.csv", Rows(fixture.Videos.Take(1)).Concat(Rows(fixture.Videos.Take(1))));
        string headerOnly = Manifest("header-only.csv", []);

        var (code, stdout, err) = Run("scan", "--json", empty, repeats, headerOnly);

        Assert.Equal(ExitCodes.Success, code);
        using var doc = JsonDocument.Parse(stdout);
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(2, rows.Length);                                                   // the empty folder, the manifest's one video
        Assert.Equal(empty, rows[0].GetProperty("path").GetString());
        Assert.Equal("failed", rows[0].GetProperty("status").GetString());
        Assert.Equal("Empty", rows[0].GetProperty("errorKind").GetString());
        Assert.Contains("holds no video files and no frame images", rows[0].GetProperty("error").GetString());
        Assert.Equal("ok", rows[1].GetProperty("status").GetString());
        Assert.Contains($"scan: Duplicate: {fixture.Videos[0]} ({repeats}:3): listed again; the first listing is kept", err);
        Assert.Contains($"scan: manifest {headerOnly} lists no videos.", err);

        var (textCode, text, _) = Run("scan", empty);
        Assert.Equal(ExitCodes.Success, textCode);
        Assert.Contains($"failed  {empty}  Empty: {empty}: the folder holds no video files", text);
        Assert.Contains("1 videos: 0 ok, 1 failed", text);
    }
}

using ConstCl.Data;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.IO;
using ConstCl.Training;
using ConstCl.Video;
using TorchSharp;

namespace ConstCl.Core.Tests;

/// <summary>
/// The members issue 12 made public so that ConstCl.MLNet and the CLI need no InternalsVisibleTo: each checks its
/// arguments up front and does what its XML doc says (their behaviour is tested beside each type).
/// </summary>
public sealed class PublicSurfaceArgumentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-public-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AtomicFileRejectsAMissingPathOrContent()
    {
        Assert.ThrowsAny<ArgumentException>(() => AtomicFile.Write(" ", _ => { }));
        Assert.Throws<ArgumentNullException>(() => AtomicFile.Write(Path.Combine(_dir, "a"), null!));
        Assert.Throws<ArgumentNullException>(() => AtomicFile.WriteAllText(Path.Combine(_dir, "a"), null!));
        Assert.ThrowsAny<ArgumentException>(() => AtomicFile.WriteThroughPath("", _ => { }));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void CsvEscapeQuotesOnlyWhatNeedsIt()
    {
        Assert.Equal("plain", Csv.Escape("plain"));
        Assert.Equal("\"a,b\"", Csv.Escape("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", Csv.Escape("say \"hi\""));
        Assert.Throws<ArgumentNullException>(() => Csv.Escape(null!));
    }

    [Fact]
    public void InlineProgressReportsOnTheCallingThreadInOrder()
    {
        Assert.Throws<ArgumentNullException>(() => new InlineProgress<int>(null!));
        var seen = new List<(int Value, int Thread)>();
        IProgress<int> progress = new InlineProgress<int>(v => seen.Add((v, Environment.CurrentManagedThreadId)));
        progress.Report(1);
        progress.Report(2);
        Assert.Equal([(1, Environment.CurrentManagedThreadId), (2, Environment.CurrentManagedThreadId)], seen);
    }

    [Fact]
    public void EmbeddingRowsJsonRoundTripsAndChecksArguments()
    {
        string path = Path.Combine(_dir, "rows.jsonl");
        var row = new EmbeddingRow { Path = "v.mp4", Label = "a", Embedding = [0.6f, 0.8f], ClipFrameIndices = [0, 2], FramesPerClip = 2, ClipSpec = "1x1", EncoderHash = "h" };
        EmbeddingRowsJson.WriteFile(path, [row]);
        var back = Assert.Single(EmbeddingRowsJson.Read(path));
        Assert.Equal((row.Path, row.Label, row.FramesPerClip), (back.Path, back.Label, back.FramesPerClip));
        Assert.Equal(row.Embedding, back.Embedding);
        Assert.Equal(row.ClipFrameIndices, back.ClipFrameIndices);
        Assert.Throws<ArgumentNullException>(() => EmbeddingRowsJson.WriteFile(path, null!));
        Assert.ThrowsAny<ArgumentException>(() => EmbeddingRowsJson.Read(" "));
    }

    [Fact]
    public void MetricsHistoryNeedsAPath()
    {
        Assert.ThrowsAny<ArgumentException>(() => MetricsHistory.Read(""));
        Assert.Throws<FileNotFoundException>(() => MetricsHistory.Read(Path.Combine(_dir, "missing.jsonl")));
    }

    [Fact]
    public void VideoDecoderSelectorParsesTheThreeNames()
    {
        Assert.True(VideoDecoderSelector.TryParse(" FFmpeg ", out var backend));
        Assert.Equal(VideoDecoderBackend.Ffmpeg, backend);
        Assert.False(VideoDecoderSelector.TryParse("gstreamer", out _));
        Assert.Throws<ArgumentNullException>(() => VideoDecoderSelector.TryParse(null!, out _));
    }

    [Fact]
    public void RandomTrainingInputHasTheDocumentedShapesAndRejectsEmptySizes()
    {
        using var generator = new torch.Generator(3);
        using var scope = torch.NewDisposeScope();
        var input = RandomTrainingInput.Create(2, 4, 8, 3, generator);
        Assert.Equal([2L, 3, 4, 8, 8], input.ViewA.shape);
        Assert.Equal([2L, 4, 3, 4], input.BoxesB.shape);
        Assert.Same(input, input.To(torch.CPU));   // already there: nothing copied
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomTrainingInput.Create(0, 4, 8, 3, generator));
        Assert.Throws<ArgumentNullException>(() => RandomTrainingInput.Create(1, 4, 8, 3, null!));
    }

    [Fact]
    public void TrainingStepAndTwoViewSampleCheckTheirArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new TrainingStep(null!, null!, PretrainingOptions.Tiny));
        var provider = new FileFrameProvider([Path.Combine(_dir, "never-opened.mp4")]);
        Assert.Throws<ArgumentNullException>(() => TwoViewSample.Create(null!, 0, new LoaderOptions(), new Random(1)));
        Assert.Throws<ArgumentNullException>(() => TwoViewSample.Create(provider, 0, new LoaderOptions(), null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoViewSample.Create(provider, 1, new LoaderOptions(), new Random(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoViewSample.Create(provider, -1, new LoaderOptions(), new Random(1)));
    }
}

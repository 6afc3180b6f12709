using ConstCl.Embedding;

namespace ConstCl.MLNet.Tests;

/// <summary>The clip spec that travels in a saved model's constant column: Core's one text form plus skip and folder.</summary>
[Collection(MLNetCollection.Name)]
public sealed class SavedClipSpecTests
{
    private readonly MLNetTestData _data;

    public SavedClipSpecTests(MLNetTestData data) => _data = data;

    [Fact]
    public void FormatIsCoresTextFormPlusSkipAndParsesBack()
    {
        var clips = new EvaluationClipSpec { ClipCount = 3, CropCount = 1, FramesPerClip = 4, FrameStride = 2, Size = 32 };
        var spec = new SavedClipSpec(clips, SkipInvalid: true);
        Assert.Equal(clips.ToSpecString() + ";skip=1", spec.Format());
        Assert.Equal("clips=3;crops=1;frames=4;stride=2;size=32;range=-1..1;resize=linear;skip=1", spec.Format());
        Assert.Equal(spec, SavedClipSpec.Parse(spec.Format()));
        var area = spec with { Clips = clips with { Resize = Video.FrameResizeMode.Area } };
        Assert.Equal("clips=3;crops=1;frames=4;stride=2;size=32;range=-1..1;resize=area;skip=1", area.Format());
        Assert.Equal(area, SavedClipSpec.Parse(area.Format()));

        var withFolder = spec with { Folder = "videos/a b;c" };
        Assert.EndsWith(";folder=videos%2Fa%20b%3Bc", withFolder.Format());
        Assert.Equal(withFolder, SavedClipSpec.Parse(withFolder.Format()));
    }

    [Theory]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=1;skip=1", null)]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=1;skip=0;folder=videos%2Fold", "videos/old")]
    public void TheTextOfModelsSavedBeforeReadsAsTheSameProtocol(string old, string? folder)
    {
        // ConstCl 0.x wrote frames, stride, size, clips, crops, skip (values in [−1, 1], no range key): still read.
        var spec = SavedClipSpec.Parse(old);
        Assert.Equal(new EvaluationClipSpec { ClipCount = 3, CropCount = 1, FramesPerClip = 4, FrameStride = 2, Size = 32, ZeroCenter = true }, spec.Clips);
        Assert.Equal(old.Contains("skip=1", StringComparison.Ordinal), spec.SkipInvalid);
        Assert.Equal(folder, spec.Folder);
    }

    [Theory]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=1", "skip")]
    [InlineData("clips=3;crops=1;frames=4;stride=2;skip=0", "size")]
    [InlineData("frames=x;stride=2;size=32;clips=3;crops=1;skip=0", "frames")]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=2;skip=0", "CropCount")]
    [InlineData("frames=4;stride=2;size=32;clips=3;crops=1;skip=0;speed=2", "speed")]
    public void BadSpecsAreRefusedNamingThePart(string text, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => SavedClipSpec.Parse(text));
        Assert.Contains(named, error.Message);
    }

    [Fact]
    public void AModelSavedWithTheOlderTextLoadsAndGivesTheSameEmbeddings()
    {
        // A saved model is the built-in chain; one saved by the previous version differs only in the constant text
        // (its ONNX graph has the same inputs, outputs and operations), so that chain is built here with the old text.
        var ml = _data.NewContext();
        var rows = _data.Videos.Take(3).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, ClipCount = 2, CropCount = 1, Standardize = false }).Fit(data);
        var clips = transformer.Settings.Spec.Clips;
        var old = $"frames={clips.FramesPerClip};stride={clips.FrameStride};size={clips.Size};clips={clips.ClipCount};crops={clips.CropCount};skip=0";
        var chain = SavedChainBuilder.Build(ml, transformer.Encoder, transformer.Settings, null, specText: old);
        var zip = Path.Combine(_data.NewFolder(), "old-text.zip");
        ml.Model.Save(chain, data.Schema, zip);
        (chain as IDisposable)?.Dispose();

        var fresh = _data.NewContext();
        fresh.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
        var loaded = fresh.Model.Load(zip, out _);
        try
        {
            Assertions.Close(Assertions.Embeddings(transformer.Transform(data)), Assertions.Embeddings(loaded.Transform(fresh.Data.LoadFromEnumerable(rows))));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }
}

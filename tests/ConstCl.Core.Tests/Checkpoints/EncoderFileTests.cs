using ConstCl.Checkpoints;
using ConstCl.Core.Tests.Training;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Checkpoints;

public class EncoderFileTests
{
    private const string ModelOptions = "{\"Preset\":\"Tiny\",\"Width\":8}";

    [Fact]
    public void RoundTripsWeightsAndOptionsBitwise()
    {
        var path = Path.Combine(TrainingTestModels.TempDirectory(), "encoder" + EncoderFile.Extension);
        using var encoder = TrainingTestModels.Mlp(11);
        var sha = EncoderFile.Save(path, encoder, ModelOptions);

        using var contents = EncoderFile.Load(path);
        Assert.Equal(EncoderFile.FormatVersion, contents.FormatVersion);
        Assert.Equal(ModelOptions, contents.ModelOptionsJson);
        Assert.Equal(sha, contents.WeightsSha256);
        using var fresh = TrainingTestModels.Mlp(12);
        contents.LoadInto(fresh);
        TrainingTestModels.AssertBitwiseEqual(TrainingTestModels.Bytes(encoder), TrainingTestModels.Bytes(fresh));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }

    [Fact]
    public void CorruptionTruncationAndWrongKindAreClearErrors()
    {
        var dir = TrainingTestModels.TempDirectory();
        var path = Path.Combine(dir, "encoder.constcl");
        using var encoder = TrainingTestModels.Mlp(11);
        EncoderFile.Save(path, encoder, ModelOptions);
        var bytes = File.ReadAllBytes(path);

        var flipped = (byte[])bytes.Clone();
        flipped[bytes.Length - 200] ^= 0x01; // inside the weights section (the last one)
        File.WriteAllBytes(path, flipped);
        var ex = Assert.Throws<CorruptFileException>(() => EncoderFile.Load(path));
        Assert.Contains("'weights': SHA-256 mismatch", ex.Message);
        Assert.Contains(path, ex.Message);

        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<CorruptFileException>(() => EncoderFile.Load(path)).Reason);

        // A checkpoint is not an encoder file.
        var store = new CheckpointStore(dir, 1);
        var checkpointPath = store.Save(new CheckpointSnapshot { Step = 1, Model = encoder, Options = ConstCl.Training.PretrainingOptions.TinyOfficial });
        Assert.Contains("wrong magic", Assert.Throws<CorruptFileException>(() => EncoderFile.Load(checkpointPath)).Reason);

        Assert.Throws<ArgumentException>(() => EncoderFile.Save(path, encoder, "{not json"));
    }

    [Fact]
    public void LoadIntoAnotherArchitectureNamesTheMismatch()
    {
        var path = Path.Combine(TrainingTestModels.TempDirectory(), "encoder.constcl");
        using var encoder = TrainingTestModels.Mlp(11);
        EncoderFile.Save(path, encoder, ModelOptions);
        using var contents = EncoderFile.Load(path);
        using var wider = nn.Sequential(("fc1", nn.Linear(4, 16)));
        var ex = Assert.Throws<ArgumentException>(() => contents.LoadInto(wider));
        Assert.Contains("'fc1.weight' is Float32[8,4], the module has Float32[16,4]", ex.Message);
    }
}

using System.Buffers.Binary;
using System.Text;
using ConstCl.Cli;
using ConstCl.Embedding;
using ConstCl.Training;

namespace ConstCl.Cli.Tests;

/// <summary><c>export-weights</c> and <c>import-weights</c>: a pre-trained encoder leaves as safetensors and comes back identical.</summary>
public sealed class WeightsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-cli-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ARunsEncoderAndCheckpointExportAndTheEncoderImportsBackIdentical()
    {
        var run = Path.Combine(_dir, "run");
        var (trained, _, trainErr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "2", "--batch-size", "2", "--out", run);
        Assert.True(trained == 0, trainErr);
        var encoderFile = Path.Combine(run, Pretrainer.EncoderFileName);

        var (fromModel, modelOut, modelErr) = Run("export-weights", "--model", encoderFile, "--out", Path.Combine(_dir, "encoder.safetensors"));
        Assert.True(fromModel == 0, modelErr);
        Assert.Contains("backbone", modelOut);
        var (fromCheckpoint, checkpointOut, checkpointErr) = Run("export-weights", "--checkpoint", run, "--out", Path.Combine(_dir, "model.safetensors"));
        Assert.True(fromCheckpoint == 0, checkpointErr);
        Assert.Contains("whole model at step 2", checkpointOut);

        using var original = VideoEncoder.Load(encoderFile);

        // Another seed starts elsewhere; --init-weights brings it to the exported weights (a near-zero rate keeps them there).
        var run2 = Path.Combine(_dir, "run2");
        var (started, startedOut, startedErr) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--seed", "7",
            "--lr", "1e-12", "--init-weights", Path.Combine(_dir, "model.safetensors"), "--out", run2);
        Assert.True(started == 0, startedErr);
        Assert.Contains("Started from the weights in", startedOut + startedErr);
        using (var continued = VideoEncoder.Load(Path.Combine(run2, Pretrainer.EncoderFileName)))
        {
            var expected = original.Backbone.state_dict()["res4.0.temporal_conv.weight"];
            Assert.True(continued.Backbone.state_dict()["res4.0.temporal_conv.weight"].allclose(expected, rtol: 0, atol: 1e-6));
        }

        foreach (var file in new[] { "encoder.safetensors", "model.safetensors" })
        {
            var back = Path.Combine(_dir, file + ".constcl");
            var (imported, _, importErr) = Run("import-weights", "--weights", Path.Combine(_dir, file), "--out", back);
            Assert.True(imported == 0, importErr);
            using var encoder = VideoEncoder.Load(back);
            Assert.Equal(original.Hash, encoder.Hash);
        }
    }

    [Fact]
    public void WeightsWithoutOptionsNeedAPresetAndWrongWeightsAreNamed()
    {
        var path = Path.Combine(_dir, "foreign.safetensors");
        var header = Encoding.UTF8.GetBytes("""{"backbone.stem.conv.weight":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""");
        var bytes = new byte[8 + header.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        File.WriteAllBytes(path, bytes);

        var (noPreset, _, noPresetErr) = Run("import-weights", "--weights", path, "--out", Path.Combine(_dir, "x.constcl"));
        Assert.Equal(1, noPreset);
        Assert.Contains("--preset", noPresetErr);
        var (wrong, _, wrongErr) = Run("import-weights", "--weights", path, "--out", Path.Combine(_dir, "x.constcl"), "--preset", "tiny");
        Assert.Equal(1, wrong);
        Assert.Contains("'backbone.stem.conv.weight' is Float32[1], the network has Float32[8,3,5,7,7]", wrongErr);
        Assert.False(File.Exists(Path.Combine(_dir, "x.constcl")));
    }

    [Theory]
    [InlineData("export-weights", "--out", "x.safetensors")]
    [InlineData("export-weights", "--model", "a.constcl", "--checkpoint", "run", "--out", "x.safetensors")]
    public void ExportNeedsExactlyOneSource(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --model", err);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args) => CliRun.Invoke(args);
}

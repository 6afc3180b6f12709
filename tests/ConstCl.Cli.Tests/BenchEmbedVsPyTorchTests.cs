using System.CommandLine;
using System.Text.Json;

namespace ConstCl.Cli.Tests;

/// <summary>
/// <c>bench embed --vs-pytorch</c> plumbing with a fake interpreter that prints a canned result (it tests process handling,
/// the ratio and the JSON shape, never PyTorch's speed).
/// </summary>
[Trait("Category", "Slow")]   // bench: timed runs
public sealed class BenchEmbedVsPyTorchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-embed-vs-pytorch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Combined_json_holds_both_throughputs_and_their_ratio()
    {
        var python = FakePython.Create(_dir, FakePython.WritingJson(
            "{\"encoder\":\"tiny (random weights)\",\"embeddingDimension\":256,\"batch\":1,\"frames\":4,\"size\":32,\"threads\":1," +
            "\"repeats\":1,\"seconds\":0.5,\"clipsPerSecond\":2.0,\"cpuSeconds\":0.25,\"peakRssBytes\":1000,\"engine\":\"PyTorch fake\"}"));
        var json = Path.Combine(_dir, "embed.json");
        var (code, output, error) = Invoke(
            ["--preset", "tiny", "--batch-size", "1", "--frames", "4", "--size", "32", "--threads", "1", "--repeats", "1", "--rounds", "1",
             "--python", python, "--script", FakePython.Script(_dir), "--json-out", json]);
        Assert.True(code == 0, error);
        Assert.Contains("ratio TorchSharp/PyTorch clips/s", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        var ours = root.GetProperty("torchSharpClipsPerSecond").GetDouble();
        Assert.Equal(1.0 / root.GetProperty("torchSharpSeconds").GetDouble(), ours, 9);      // one clip per pass
        Assert.Equal(JsonValueKind.Null, root.GetProperty("onnxClipsPerSecond").ValueKind);   // the child ran with --no-onnx
        Assert.Equal(2.0, root.GetProperty("pytorch").GetProperty("clipsPerSecond").GetDouble());
        Assert.Equal(ours / 2.0, root.GetProperty("ratio").GetProperty("clipsPerSecond").GetDouble(), 12);
        Assert.Equal(1, root.GetProperty("rounds").GetInt32());
        var oursCpu = root.GetProperty("torchSharpCpuSeconds").GetDouble();
        Assert.True(oursCpu > 0);
        Assert.Equal(0.25 / oursCpu, root.GetProperty("ratio").GetProperty("cpuClipsPerSecond").GetDouble(), 12);   // same clips, CPU time per pass
    }

    [Fact]
    public void A_model_file_or_a_missing_interpreter_is_refused()
    {
        Assert.Equal(2, Invoke(["--model", Path.Combine(_dir, "encoder.constcl")]).Code);
        var (code, _, error) = Invoke(["--python", Path.Combine(_dir, "none"), "--script", FakePython.Script(_dir)]);
        Assert.Equal(1, code);
        Assert.Contains("python3-torch", error, StringComparison.Ordinal);
    }

    private static (int Code, string Output, string Error) Invoke(string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.BuildRootCommand()
            .Parse(["bench", "embed", "--vs-pytorch", .. extra])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}

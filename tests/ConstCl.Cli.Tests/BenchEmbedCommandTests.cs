using System.CommandLine;
using System.Text.Json;
using ConstCl.Cli;

namespace ConstCl.Cli.Tests;

[Trait("Category", "Slow")]   // bench: timed runs
public sealed class BenchEmbedCommandTests
{
    [Fact]
    public void Times_both_engines_and_their_outputs_agree()
    {
        var json = Path.Combine(Path.GetTempPath(), "constcl-benchembed-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            int code = Program.BuildRootCommand()
                .Parse(["bench", "embed", "--preset", "tiny", "--batch-size", "2", "--frames", "4", "--size", "32", "--repeats", "1", "--threads", "1", "--json-out", json])
                .Invoke(new InvocationConfiguration { Output = output, Error = error });
            Assert.True(code == 0, error.ToString());
            Assert.Contains("TorchSharp:", output.ToString(), StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            var root = doc.RootElement;
            Assert.Equal(256, root.GetProperty("embeddingDimension").GetInt32());
            Assert.True(root.GetProperty("torchSharpClipsPerSecond").GetDouble() > 0);
            Assert.True(root.GetProperty("onnxClipsPerSecond").GetDouble() > 0);
            Assert.InRange(root.GetProperty("maxAbsDifference").GetDouble(), 0, 1e-4);   // unit-norm outputs of the two engines
            Assert.Equal(ExitCodes.Usage, Program.Run(["bench", "embed", "--preset", "huge"], new InvocationConfiguration { Output = output, Error = error }));
        }
        finally
        {
            File.Delete(json);
        }
    }
}

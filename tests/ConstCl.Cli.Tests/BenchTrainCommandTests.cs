using System.Text.Json;
using ConstCl.Cli;

namespace ConstCl.Cli.Tests;

[Trait("Category", "Slow")]   // bench: timed runs
public class BenchTrainCommandTests
{
    [Fact]
    public void TinyBenchPrintsTimesAndWritesJson()
    {
        var json = Path.Combine(Path.GetTempPath(), "constcl-cli-bench-train-" + Guid.NewGuid().ToString("N") + ".json");
        var original = Console.Out;
        using var writer = new StringWriter();
        Console.SetOut(writer);
        int code;
        try
        {
            code = Program.BuildRootCommand().Parse(["bench", "train", "--preset", "tiny", "--batch-size", "1", "--frames", "4", "--size", "32", "--steps", "2", "--warmup", "1", "--threads", "2", "--device", "cpu", "--json-out", json]).Invoke();
        }
        finally
        {
            Console.SetOut(original);
        }

        Assert.Equal(0, code);
        Assert.Contains("seconds/step: median", writer.ToString());
        Assert.Contains("2 threads on cpu", writer.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        var s = root.GetProperty("secondsPerStep");
        double min = s.GetProperty("min").GetDouble(), median = s.GetProperty("median").GetDouble(), max = s.GetProperty("max").GetDouble();
        Assert.True(min > 0 && min <= median && median <= max);
        Assert.Equal(2, root.GetProperty("stepSeconds").GetArrayLength());
        Assert.Equal("cpu", root.GetProperty("device").GetString());
        Assert.Equal(2 * 1 / median, root.GetProperty("clipsPerSecond").GetDouble(), 9); // two clips per video
        Assert.True(root.GetProperty("peakRssBytes").GetInt64() > 10L << 20);         // libtorch alone is larger
        Assert.Equal(root.GetProperty("liveTensorsFirst").GetInt64(), root.GetProperty("liveTensorsLast").GetInt64());
        File.Delete(json);
    }
}

using System.CommandLine;
using System.Text.Json;
using ConstCl.Cli.Commands.Bench;

namespace ConstCl.Cli.Tests;

/// <summary>
/// <c>bench train --vs-pytorch</c> without Python: argument and environment errors, the combined JSON and the ratio
/// arithmetic. The "python" used here is a shell script printing a canned result: it tests the plumbing only (process
/// handling, pooling, ratios, JSON shape), never PyTorch's speed.
/// </summary>
[Trait("Category", "Slow")]   // bench: timed runs
public sealed class BenchTrainVsPyTorchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("constcl-vs-pytorch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_missing_interpreter_is_a_clear_error_with_exit_code_1()
    {
        var missing = Path.Combine(_dir, "no-such-python3");
        var (code, _, error) = Invoke(["--python", missing, "--script", Script()]);
        Assert.Equal(1, code);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        Assert.Contains("apt-get install python3 python3-torch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interpreter_without_torch_is_a_clear_error_with_exit_code_1()
    {
        var python = FakePython.Create(_dir, "exit 1", torchMissing: true);
        var (code, _, error) = Invoke(["--python", python, "--script", Script()]);
        Assert.Equal(1, code);
        Assert.Contains("cannot import torch", error, StringComparison.Ordinal);
        Assert.Contains("No module named 'torch'", error, StringComparison.Ordinal);
        Assert.Contains("python3-torch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_script_and_bad_rounds_are_errors()
    {
        var (code, _, error) = Invoke(["--script", Path.Combine(_dir, "nope.py")]);
        Assert.Equal(1, code);
        Assert.Contains("nope.py", error, StringComparison.Ordinal);
        Assert.Equal(2, Invoke(["--rounds", "0"]).Code);
    }

    [Fact]
    public void Combined_json_holds_both_sides_and_ratios_computed_from_them()
    {
        // Plumbing test: the fake "python" answers the torch probe and writes a canned PyTorch result; the TorchSharp
        // side is the real `constcl bench train` child process (Tiny, 4×32², one step per round).
        var arguments = Path.Combine(_dir, "arguments.txt");
        var python = FakePython.Create(_dir,
            $"echo \"$@\" >> '{arguments}'\n" + FakePython.WritingJson(
            "{\"preset\":\"tiny\",\"batchSize\":1,\"frames\":4,\"size\":32,\"threads\":1,\"steps\":2,\"warmupSteps\":0," +
            "\"secondsPerStep\":{\"median\":0.6,\"min\":0.5,\"max\":0.7},\"clipsPerSecond\":3.3333333333333335,\"peakRssBytes\":104857600," +
            "\"liveTensorsFirst\":10,\"liveTensorsLast\":10,\"stepSeconds\":[0.5,0.7],\"cpuSecondsPerStep\":{\"median\":0.25,\"min\":0.2,\"max\":0.3},\"cpuStepSeconds\":[0.2,0.3]," +
            "\"engine\":\"PyTorch fake\",\"parameters\":964572}"));
        var json = Path.Combine(_dir, "combined.json");
        var (code, output, error) = Invoke(
            ["--preset", "tiny", "--batch-size", "1", "--frames", "4", "--size", "32", "--steps", "1", "--warmup", "0", "--threads", "1",
             "--rounds", "2", "--python", python, "--script", Script(), "--json-out", json]);
        Assert.True(code == 0, error);
        Assert.Contains("ratio TorchSharp/PyTorch: time", output, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("rounds").GetInt32());
        Assert.Equal(2, root.GetProperty("stepSeconds").GetArrayLength());          // one timed step per round, pooled
        var oursMedian = root.GetProperty("secondsPerStep").GetProperty("median").GetDouble();
        var oursSteps = root.GetProperty("stepSeconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal((oursSteps[0] + oursSteps[1]) / 2, oursMedian, 12);
        Assert.Equal(2.0 / oursMedian, root.GetProperty("clipsPerSecond").GetDouble(), 9);
        var oursPeak = root.GetProperty("peakRssBytes").GetInt64();
        Assert.True(oursPeak > 10L << 20);                                                  // a real child process ran

        var pytorch = root.GetProperty("pytorch");
        Assert.Equal("PyTorch fake", pytorch.GetProperty("engine").GetString());
        Assert.Equal(0.6, pytorch.GetProperty("secondsPerStep").GetProperty("median").GetDouble(), 12);   // median of [0.5, 0.7, 0.5, 0.7]
        Assert.Equal(4, pytorch.GetProperty("stepSeconds").GetArrayLength());
        Assert.Equal(104857600, pytorch.GetProperty("peakRssBytes").GetInt64());

        var ratio = root.GetProperty("ratio");
        var byRound = ratio.GetProperty("secondsPerStepByRound").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(oursSteps.Select(s => s / 0.6), byRound, new ToleranceComparer(1e-12));   // each round: ours ÷ peer median
        Assert.Equal(byRound.Average(), ratio.GetProperty("secondsPerStep").GetDouble(), 12);  // median of two = their mean
        Assert.Equal(oursMedian / 0.6, ratio.GetProperty("pooledSecondsPerStep").GetDouble(), 12);
        Assert.Equal(oursPeak / 104857600.0, ratio.GetProperty("peakRssBytes").GetDouble(), 12);
        var oursCpu = root.GetProperty("cpuStepSeconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, oursCpu.Length);
        Assert.Equal(0.25, pytorch.GetProperty("cpuSecondsPerStep").GetProperty("median").GetDouble(), 12);
        Assert.Equal((oursCpu[0] / 0.25 + oursCpu[1] / 0.25) / 2, ratio.GetProperty("cpuSecondsPerStep").GetDouble(), 12);

        // The reference got the same shape and the C# model's parameter count (the Tiny preset has 964,572).
        var calls = File.ReadAllLines(arguments).Where(l => l.Contains("--mode train", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.All(calls, c => Assert.Contains(
            "--preset tiny --batch-size 1 --frames 4 --size 32 --steps 1 --warmup 0 --threads 1 --expect-params 964572", c, StringComparison.Ordinal));
    }

    [Fact]
    public void Ratios_are_the_median_of_round_ratios_and_the_ratio_of_largest_peaks()
    {
        // Round 1: ours median 2 vs 1 → 2; round 2: 3 vs 4 → 0.75; round 3: 1 vs 1 → 1. Median of (2, 0.75, 1) = 1.
        var rounds = new[]
        {
            (Result([1.0, 2.0, 3.0], 300), Result([1.0], 100)),
            (Result([3.0], 200), Result([4.0, 4.0], 150)),
            (Result([1.0], 250), Result([0.5, 1.5], 120)),
        };
        var ratio = TrainComparison.Ratios(rounds);
        Assert.Equal([2.0, 0.75, 1.0], ratio.SecondsPerStepByRound);
        Assert.Equal(1.0, ratio.SecondsPerStep);
        Assert.Equal(300.0 / 150.0, ratio.PeakRssBytes);
        // Pooled: ours steps {1,2,3,3,1} median 2; peer steps {1,4,4,0.5,1.5} median 1.5.
        Assert.Equal(2.0 / 1.5, ratio.PooledSecondsPerStep, 12);
        Assert.Throws<ArgumentException>(() => TrainComparison.Ratios([]));
    }

    [Fact]
    public void Pooling_merges_steps_and_keeps_the_largest_peak()
    {
        var pooled = TrainComparison.Pool([Result([4.0, 1.0], 300), Result([2.0, 3.0], 500)]);
        Assert.Equal([4.0, 1.0, 2.0, 3.0], pooled.AllStepSeconds);
        Assert.Equal(new StepSeconds(2.5, 1.0, 4.0), pooled.SecondsPerStep);
        Assert.Equal(2 * 2 / 2.5, pooled.ClipsPerSecond, 12);                        // batch 2 → 4 clips per step
        Assert.Equal(500, pooled.PeakRssBytes);
        Assert.Equal(4, pooled.Steps);
        Assert.Equal(2.5, BenchStatistics.Median([3.0, 1.0, 4.0, 2.0]));
        Assert.Equal(3.0, BenchStatistics.Median([5.0, 1.0, 3.0]));
    }

    private static TrainBenchResult Result(double[] steps, long peak) => new(
        "tiny", 2, 8, 64, 1, steps.Length, 1, new StepSeconds(BenchStatistics.Median(steps), steps.Min(), steps.Max()),
        4 / BenchStatistics.Median(steps), peak, 0, 0, steps);

    private static (int Code, string Output, string Error) Invoke(string[] extra)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Program.BuildRootCommand()
            .Parse(["bench", "train", "--vs-pytorch", .. extra])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private string Script() => FakePython.Script(_dir);

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}

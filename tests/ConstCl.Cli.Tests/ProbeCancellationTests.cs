using System.CommandLine;
using ConstCl.Datasets;
using ConstCl.Runtime;

namespace ConstCl.Cli.Tests;

/// <summary>
/// <c>constcl probe</c> under Ctrl+C: System.CommandLine's cancellation token stops it with exit code 130 and leaves nothing
/// half-written — no report, no JSON, no temporary file — and a rerun of the same command succeeds. The token is driven
/// directly (a pre-cancelled one, and one cancelled when the embedding starts), as Ctrl+C or SIGTERM would cancel it.
/// </summary>
public sealed class ProbeCancellationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "constcl-probe-cancel-" + Guid.NewGuid().ToString("N"));
    private readonly string _cache, _out, _json;
    private readonly string[] _args;

    public ProbeCancellationTests()
    {
        TorchRuntime.Initialize(2);
        var files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 4, Frames = 16, Size = 32, Seed = 3, TestFraction = 0.5 })
            .WriteFiles(Path.Combine(_root, "videos"));
        _cache = Path.Combine(_root, "cache");
        _out = Path.Combine(_root, "out");
        _json = Path.Combine(_root, "probe.json");
        _args =
        [
            "probe", "--random-init", "--preset", "tiny", "--train-data", files.TrainManifest, "--test-data", files.TestManifest,
            "--cache", _cache, "--out", _out, "--json-out", _json, "--clips", "1", "--crops", "1", "--size", "32", "--batch-size", "1",
            "--trainer-threads", "1",
        ];
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public async Task A_token_cancelled_before_the_start_exits_130_and_writes_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var (code, stdout, stderr) = await InvokeAsync(cts, trigger: null);
        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Contains("constcl probe: cancelled", stderr);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(_out));
        Assert.False(Directory.Exists(_cache));
        Assert.False(File.Exists(_json));
    }

    [Fact]
    public async Task Cancelling_while_embedding_exits_130_leaves_no_partial_file_and_the_rerun_succeeds()
    {
        using var cts = new CancellationTokenSource();
        var (code, stdout, stderr) = await InvokeAsync(cts, trigger: "to compute");   // "  embeddings: 0 from cache (…), 8 to compute"
        Assert.True(code == ExitCodes.Cancelled, $"exit {code}: {stderr}");
        Assert.Contains("constcl probe: cancelled", stderr);
        Assert.DoesNotContain("top-1", stdout);                                    // nothing was fitted
        Assert.False(File.Exists(_json));
        Assert.Empty(Directory.Exists(_out) ? Directory.GetFiles(_out, "*", SearchOption.AllDirectories) : []);
        Assert.Empty(Directory.Exists(_cache) ? Directory.GetFiles(_cache, "*.tmp*", SearchOption.AllDirectories) : []);

        var (again, _, againErr) = CliRun.Invoke(_args);
        Assert.True(again == ExitCodes.Success, againErr);
        Assert.True(File.Exists(_json));
        Assert.True(File.Exists(Path.Combine(_out, "metrics.json")));
    }

    /// <summary>Runs the probe with <paramref name="cts"/>'s token; the error writer cancels it when a line contains <paramref name="trigger"/>.</summary>
    private async Task<(int Code, string Out, string Err)> InvokeAsync(CancellationTokenSource cts, string? trigger)
    {
        var output = new StringWriter();
        var error = new CancellingWriter(cts, trigger);
        var parse = Program.BuildRootCommand().Parse(_args);
        int code = await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cts.Token);
        Assert.DoesNotContain("   at ", error.ToString());
        return (code, output.ToString(), error.ToString());
    }
}

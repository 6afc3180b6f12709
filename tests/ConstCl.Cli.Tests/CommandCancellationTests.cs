using System.CommandLine;
using ConstCl.Cli.Commands;
using ConstCl.Training;

namespace ConstCl.Cli.Tests;

/// <summary>
/// Ctrl+C (or SIGTERM) reaches every long-running command the same way (<see cref="CancellableAction"/>): System.CommandLine's
/// cancellation token, exit code 130 (<see cref="ExitCodes.Cancelled"/>), nothing half-written. The token is driven directly,
/// as the signal would cancel it: one cancelled before the start, and one cancelled at a known point of a run.
/// (<c>probe</c>: <see cref="ProbeCancellationTests"/>; <c>embed</c> mid-run: <see cref="EmbedCommandTests"/>.)
/// </summary>
public sealed class CommandCancellationTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "constcl-cancel-" + Guid.NewGuid().ToString("N"));

    public CommandCancellationTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string[]> LongRunningCommands() => new()
    {
        { ["pretrain", "--synthetic", "--preset", "tiny", "--steps", "2", "--out", "{dir}/run"] },
        { ["embed", "--model", "{dir}/m.constcl", "--data", "{dir}/videos.csv", "--out", "{dir}/e.jsonl"] },
        { ["probe", "--random-init", "--train-data", "{dir}/a.csv", "--test-data", "{dir}/b.csv", "--out", "{dir}/probe", "--json-out", "{dir}/p.json"] },
        { ["bench", "decode", "--video", "{dir}/v.avi", "--json-out", "{dir}/d.json"] },
        { ["bench", "train", "--steps", "1", "--json-out", "{dir}/t.json"] },
        { ["bench", "embed", "--json-out", "{dir}/e.json"] },
        { ["bench", "probe", "--json-out", "{dir}/p.json"] },
    };

    [Theory]
    [MemberData(nameof(LongRunningCommands))]
    public async Task A_token_cancelled_before_the_start_exits_130_and_writes_nothing(string[] args)
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var (code, stdout, stderr) = await InvokeAsync(Args(args), cts, trigger: null);

        Assert.Equal(ExitCodes.Cancelled, code);
        string command = args[0] == "bench" ? $"bench {args[1]}" : args[0];
        Assert.Contains($"constcl {command}: cancelled", stderr);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [MemberData(nameof(LongRunningCommands))]
    public void Every_long_running_command_takes_the_cancellation_token(string[] args)
    {
        Command command = Program.BuildRootCommand();
        foreach (var name in args.TakeWhile(a => !a.StartsWith('-')))
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        Assert.IsType<CancellableCommandGuard>(command.Action);
    }

    [Fact]
    public void Pretrain_has_time_for_its_step_and_checkpoint_and_the_others_the_default_grace()
    {
        var root = Program.BuildRootCommand();
        Assert.Equal(PretrainCommand.CancellationGrace, CancellableAction.GraceFor(root.Parse(["pretrain", "--synthetic", "--out", "x"])));
        Assert.Equal(CancellableAction.DefaultGrace, CancellableAction.GraceFor(root.Parse(["bench", "probe"])));
        Assert.True(PretrainCommand.CancellationGrace > CancellableAction.DefaultGrace);
    }

    [Trait("Category", "Slow")]   // a timed probe fit (the rerun)
    [Fact]
    public async Task Bench_probe_cancelled_before_the_fit_exits_130_without_json()
    {
        string json = Path.Combine(_dir, "bench.json");
        string[] args = ["bench", "probe", "--n", "300", "--dim", "32", "--classes", "5", "--test", "100", "--trainer-threads", "1", "--json-out", json];
        using var cts = new CancellationTokenSource();
        var (code, stdout, stderr) = await InvokeAsync(args, cts, trigger: "generating");

        Assert.Equal(ExitCodes.Cancelled, code);
        Assert.Contains("constcl bench probe: cancelled", stderr);
        Assert.DoesNotContain("fitting", stderr);
        Assert.Equal("", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public async Task Pretrain_cancelled_after_a_step_exits_130_with_a_checkpoint_that_resumes()
    {
        string run = Path.Combine(_dir, "run");
        string[] args = ["pretrain", "--synthetic", "--preset", "tiny", "--steps", "3", "--batch-size", "2", "--out", run, "--log-every", "1", "--checkpoint-every", "100"];
        using var cts = new CancellationTokenSource();
        var (code, stdout, stderr) = await InvokeAsync(args, cts, trigger: "step 1/3");

        Assert.True(code == ExitCodes.Cancelled, stderr);
        Assert.Contains("constcl pretrain: cancelled at step", stderr);
        Assert.Contains("--resume", stderr);
        Assert.Equal("", stdout);
        string[] checkpoints = Directory.GetFiles(Path.Combine(run, Pretrainer.CheckpointDirectoryName), "*.ckpt");
        Assert.Single(checkpoints);                                                // written on Ctrl+C, not by --checkpoint-every
        Assert.Empty(Directory.GetFiles(run, "*.tmp*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(run, Pretrainer.EncoderFileName)));

        var (resumed, resumedOut, resumedErr) = CliRun.Invoke([.. args, "--resume"]);
        Assert.True(resumed == ExitCodes.Success, resumedErr);
        Assert.Contains("Resumed from", resumedErr);
        Assert.Contains("done, 3 steps", resumedOut);
    }

    private string[] Args(string[] args) => args.Select(a => a.Replace("{dir}", _dir, StringComparison.Ordinal)).ToArray();

    /// <summary>Runs the tool with <paramref name="cts"/>'s token; standard error cancels it when a line contains <paramref name="trigger"/>.</summary>
    private static async Task<(int Code, string Out, string Err)> InvokeAsync(string[] args, CancellationTokenSource cts, string? trigger)
    {
        var output = new StringWriter();
        var error = new CancellingWriter(cts, trigger);
        int code = await Program.BuildRootCommand().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cts.Token);
        Assert.DoesNotContain("   at ", error.ToString());
        return (code, output.ToString(), error.ToString());
    }
}

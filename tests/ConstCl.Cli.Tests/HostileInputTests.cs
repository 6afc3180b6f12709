using System.CommandLine;
using ConstCl.Checkpoints;
using ConstCl.Cli.Commands;
using ConstCl.Datasets;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Runtime;
using ConstCl.Training;

namespace ConstCl.Cli.Tests;

/// <summary>A Tiny encoder (4×32² clips) and two 8-frame 32² synthetic videos, made once for <see cref="HostileInputTests"/>.</summary>
public sealed class HostileFixture : IDisposable
{
    public HostileFixture()
    {
        TorchRuntime.Initialize(2);
        Files = new SyntheticActions(new SyntheticActionsOptions { Classes = 2, VideosPerClass = 1, Frames = 8, Size = 32, Seed = 3 }).WriteFiles(Path.Combine(Root, "videos"));
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny with { InputFrames = 4, InputSize = 32 }, seed: 2);
        using var encoder = VideoEncoder.FromModel(model);
        EncoderPath = Path.Combine(Root, "tiny.constcl");
        encoder.Save(EncoderPath);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "constcl-hostile-" + Guid.NewGuid().ToString("N"));

    public string EncoderPath { get; }

    public SyntheticDatasetFiles Files { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

/// <summary>
/// Issue 14: hostile input never shows a stack trace; every case pins its exit code (README "Exit codes") and its message.
/// An unwritable output is a folder under a regular file, which fails for root too (chmod does not stop root).
/// </summary>
public sealed class HostileInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(fixture.Root, Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRun.Invoke(args);

    /// <summary>A path whose parent is a regular file: no one can create it.</summary>
    private string Unwritable(string name)
    {
        string blocker = Path.Combine(_dir, "blocker");
        File.WriteAllText(blocker, "a file, not a folder");
        return Path.Combine(blocker, name);
    }

    private string[] Embed(string output, params string[] more) =>
        ["embed", "--model", fixture.EncoderPath, "--data", fixture.Files.Manifest, "--out", output, "--clips", "2", "--crops", "1", "--stride", "1", .. more];

    [Fact]
    public void ParseErrorsExitWithTwo()
    {
        var (code, _, err) = Run("embed", "--no-such-option");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-such-option", err);

        Assert.Equal(ExitCodes.Usage, Run("pretrain", "--synthetic").Code);             // --out is required
    }

    [Theory]
    [InlineData("--steps", "abc", "--steps expects a whole number; got 'abc'.")]
    [InlineData("--batch-size", "1.5", "--batch-size expects a whole number; got '1.5'.")]
    [InlineData("--lr", "fast", "--lr expects a number; got 'fast'.")]
    public void TypedOptionsSayWhatTheyExpect(string option, string value, string message)
    {
        var (code, _, err) = Run("pretrain", "--synthetic", "--out", Path.Combine(_dir, "out"), option, value);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain("System.", err);                                         // no CLR type names
    }

    [Theory]
    [InlineData("embed", "--frames", "100000", "--frames must be between 1 and 512; got 100000.")]
    [InlineData("embed", "--size", "0", "--size must be between 1 and 1024; got 0.")]
    [InlineData("embed", "--clips", "1000", "--clips must be between 1 and 100; got 1000.")]
    [InlineData("embed", "--batch-size", "100000", "--batch-size must be between 1 and 4096; got 100000.")]
    [InlineData("embed", "--crops", "2", "'2'")]
    [InlineData("probe", "--frames", "100000", "--frames must be between 1 and 512; got 100000.")]
    [InlineData("probe", "--batch-size", "0", "--batch-size must be between 1 and 4096; got 0.")]
    [InlineData("pretrain", "--batch-size", "0", "--batch-size must be between 1 and 4096; got 0.")]
    [InlineData("pretrain", "--steps", "-5", "--steps must be between 1 and 100000000; got -5.")]
    [InlineData("synth", "--videos-per-class", "10000000", "--videos-per-class must be between 1 and 100000; got 10000000.")]
    [InlineData("scan", "--parallel", "100000", "--parallel must be between 1 and 256; got 100000.")]
    [InlineData("bench train", "--frames", "100000", "--frames must be between 1 and 512; got 100000.")]
    public void SizeOptionsAreBounded(string command, string option, string value, string message)
    {
        string[] rest = command switch
        {
            "embed" => ["--model", "m.constcl", "--data", "v", "--out", Path.Combine(_dir, "e.jsonl")],
            "probe" => ["--model", "m.constcl", "--train-data", "a.csv", "--test-data", "b.csv"],
            "pretrain" => ["--synthetic", "--out", Path.Combine(_dir, "out")],
            "synth" => ["--out", Path.Combine(_dir, "synth")],
            "scan" => [_dir],
            _ => [],
        };
        var (code, _, err) = Run([.. command.Split(' '), option, value, .. rest]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(message, err);
        Assert.False(File.Exists(Path.Combine(_dir, "e.jsonl")));
    }

    [Fact]
    public void AnEmbeddingRequestLargerThanTheMemoryIsRefusedWithTheEstimate()
    {
        // Within every bound, but 4096 clips of 512×1024² are terabytes: refused before a video is decoded.
        var (code, _, err) = Run(Embed(Path.Combine(_dir, "big.jsonl"), "--frames", "512", "--size", "1024", "--batch-size", "4096"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("embedding 2 clips × 1 crops of 512×1024² at batch 4096 needs about", err);
        Assert.Contains("GiB of memory (rough estimate) but this machine has", err);
        Assert.Contains("lower --batch", err);
        Assert.False(Directory.Exists(Path.Combine(_dir, "big.jsonl.parts")));
    }

    [Fact]
    public void APretrainingBatchLargerThanTheMemoryIsRefusedBeforeTheModelIsBuilt()
    {
        var (code, output, err) = Run("pretrain", "--synthetic", "--preset", "paper", "--batch-size", "4096", "--steps", "1", "--out", Path.Combine(_dir, "out"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("pre-training at batch 4096 (two 16×224² views per video) needs about", err);
        Assert.DoesNotContain("step", output);

        var (overflow, _, overflowErr) = Run("pretrain", "--synthetic", "--steps", "100000000", "--batch-size", "4096", "--out", Path.Combine(_dir, "out"));
        Assert.Equal(ExitCodes.Usage, overflow);
        Assert.Contains("--steps × --batch-size = 409600000000 videos", overflowErr);
    }

    [Fact]
    public void TheMemoryEstimateRefusesOnlyWhatExceedsTheLimit()
    {
        var ex = Assert.Throws<CommandException>(() => MemoryEstimate.EnsureFits(3L << 30, "this request", "lower it.", available: 1L << 30));
        Assert.Equal(ExitCodes.Usage, ex.ExitCode);
        Assert.Equal("this request needs about 3.0 GiB of memory (rough estimate) but this machine has 1.0 GiB; lower it.", ex.Message);
        MemoryEstimate.EnsureFits(1L << 30, "this request", "lower it.", available: 1L << 30);

        // The defaults of the CPU presets stay far below any machine: a few MB per step / per batch.
        Assert.InRange(MemoryEstimate.Training(ConstClModelOptions.Tiny, 4), 1, 200L << 20);
        Assert.InRange(MemoryEstimate.Training(ConstClModelOptions.Small, 8), 1, 200L << 20);
        Assert.InRange(MemoryEstimate.Embedding(ConstClModelOptions.Small.Backbone, EvaluationClipSpec.ForModel(ConstClModelOptions.Small), 16, 2), 1, 500L << 20);
    }

    [Theory]
    [InlineData("name,label\nx.avi,a\n", "header has no 'path' column")]
    [InlineData("path,label\n\"x.avi,a\n", "manifest.csv:")]
    public void AMalformedManifestInPretrainIsAMessage(string content, string expected)
    {
        string manifest = Path.Combine(_dir, "manifest.csv");
        File.WriteAllText(manifest, content);
        var (code, _, err) = Run("pretrain", "--data", manifest, "--preset", "tiny", "--steps", "1", "--out", Path.Combine(_dir, "out"));
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("pretrain: cannot read the data: ", err);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void AnUnwritableOutputIsFoundBeforeAnyWork()
    {
        string target = Unwritable("out");
        foreach (var args in new[]
        {
            new[] { "pretrain", "--synthetic", "--preset", "tiny", "--steps", "1", "--out", target },
            ["synth", "--out", target, "--classes", "2", "--videos-per-class", "1", "--frames", "8", "--size", "32"],
            Embed(Path.Combine(target, "e.jsonl")),
            ["probe", "--model", fixture.EncoderPath, "--train-data", fixture.Files.TrainManifest, "--test-data", fixture.Files.TestManifest, "--out", target, "--no-cache"],
            ["probe", "--model", fixture.EncoderPath, "--train-data", fixture.Files.TrainManifest, "--test-data", fixture.Files.TestManifest, "--json-out", Path.Combine(target, "r.json"), "--no-cache"],
        })
        {
            var (code, output, err) = Run(args);
            Assert.True(code == ExitCodes.Failure, $"{args[0]}: exit {code}: {err}");
            Assert.Contains($"constcl {args[0]}: cannot write to '{target}' (", err);
            Assert.Contains("; give a writable --", err);
            Assert.DoesNotContain("step", output);                                    // pretrain did not train
            Assert.DoesNotContain("videos", err);                                     // synth, embed and probe did not start
        }
    }

    [Fact]
    public void AnIoFailureWhileWritingACheckpointNamesThePathAndKeepsTheRun()
    {
        // A file where the checkpoint folder goes makes the checkpoint write fail as a full disk would: an IOException mid-run.
        string outDir = Path.Combine(_dir, "run");
        Directory.CreateDirectory(outDir);
        string checkpoints = Path.Combine(outDir, Pretrainer.CheckpointDirectoryName);
        File.WriteAllText(checkpoints, "in the way");
        var (code, _, err) = Run("pretrain", "--synthetic", "--preset", "tiny", "--steps", "1", "--batch-size", "2", "--out", outDir);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains(checkpoints, err);
        Assert.Contains("rerun with --resume", err);
    }

    [Fact]
    public void ADamagedPartFileIsNamedWithItsLine()
    {
        string output = Path.Combine(_dir, "e.jsonl");
        Directory.CreateDirectory(output + ".parts");
        string part = Path.Combine(output + ".parts", "part-00000.jsonl");
        File.WriteAllText(part, "{\"Path\":\"x\"}\n{not json\n");
        var (code, _, err) = Run(Embed(output));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"constcl embed: {part}:2: not an embedding row (", err);
    }

    [Fact]
    public void EmbeddingsAreKeptWhenTheFinalFileCannotBeWrittenAndTheRerunFinishes()
    {
        // The output name is taken by a folder: every video is embedded, then the final rename fails.
        string output = Path.Combine(_dir, "e.jsonl");
        Directory.CreateDirectory(output);
        var (code, _, err) = Run(Embed(output));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains($"the rows written so far are kept in {output}.parts", err);
        Assert.NotEmpty(Directory.GetFiles(output + ".parts", "part-*.jsonl"));

        Directory.Delete(output);
        var (again, againOut, againErr) = Run(Embed(output));
        Assert.True(again == ExitCodes.Success, againErr);
        Assert.Contains("2 already embedded, 0 to do", againErr);
        Assert.Contains("2 embeddings", againOut);
    }

    [Fact]
    public void TheOptionsMismatchMessageNamesTheRealOption()
    {
        var message = new OptionsMismatchException("step-3.ckpt", [new OptionsDifference("Steps", "3", "4")]).Message;
        Assert.Contains("--override-options", message);
        Assert.DoesNotContain("--allow-option-changes", message);
    }

    [Fact]
    public void AFileThatIsNotAVideoIsDescribedByItsKindNotItsBytes()
    {
        string secret = Path.Combine(_dir, "secret.mp4");
        File.WriteAllText(secret, "SECRET-TOKEN=hunter2\n");
        foreach (var args in new[] { new[] { "scan", secret }, ["scan", "--json", secret] })
        {
            var (code, output, _) = Run(args);
            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("detected: unknown", output);
            Assert.DoesNotContain("534543524554", output);                            // "SECRE" in hex
            Assert.DoesNotContain("SECRET", output);
        }
    }

    [Fact]
    public void AnUnexpectedExceptionIsOneLineWithoutAStackTrace()
    {
        var boom = new Command("boom");
        boom.SetAction(new Func<ParseResult, int>(_ => throw new NullReferenceException("something was null")));
        var root = Program.Harden(new RootCommand { boom });
        var error = new StringWriter();
        int code = root.Parse(["boom"]).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("constcl boom: unexpected error (NullReferenceException): something was null (set CONSTCL_STACK_TRACE=1 for the stack trace)", error.ToString().Trim());

        var (diskFull, message) = CommandGuard.Describe(new IOException("No space left on device : '/data/run/checkpoints/step-1.ckpt.tmp'"));
        Assert.Equal(ExitCodes.Failure, diskFull);
        Assert.Contains("/data/run/checkpoints/step-1.ckpt.tmp", message);
    }
}

using System.CommandLine;
using ConstCl.Runtime;
using TorchSharp;

namespace ConstCl.Cli.Tests;

/// <summary>
/// <c>--device</c> on every command that runs the network: a value that is not a device is a usage error (exit 2), and a GPU
/// on this CPU-only build is exit 1 with a message naming the CUDA package, said before any data is read or any file written.
/// </summary>
public class DeviceOptionTests
{
    // "{dir}" becomes a folder that does not exist, fresh for each run (embed's --out goes to the temp folder, which it checks first).
    private const string Missing = "{dir}";

    public static TheoryData<string, string[]> Commands() => new()
    {
        { "constcl pretrain", ["pretrain", "--synthetic", "--preset", "tiny", "--steps", "1", "--out", Path.Combine(Missing, "run")] },
        { "constcl embed", ["embed", "--model", Path.Combine(Missing, "encoder.constcl"), "--data", Missing, "--out", Path.Combine(Path.GetTempPath(), "constcl-device-test.jsonl")] },
        { "constcl probe", ["probe", "--random-init", "--preset", "tiny", "--train-data", Path.Combine(Missing, "train.csv"), "--test-data", Path.Combine(Missing, "test.csv")] },
        { "constcl bench train", ["bench", "train", "--preset", "tiny", "--frames", "4", "--size", "32", "--batch-size", "1", "--steps", "1"] },
        { "constcl bench embed", ["bench", "embed", "--preset", "tiny", "--frames", "4", "--size", "32", "--batch-size", "1", "--repeats", "1", "--no-onnx"] },
    };

    private static (int Code, string Stdout, string Stderr) Run(string[] args, string? dir = null)
    {
        args = args.Select(a => a.Replace(Missing, dir ?? Path.Combine(Path.GetTempPath(), "constcl-device-" + Guid.NewGuid().ToString("N")), StringComparison.Ordinal)).ToArray();
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(args, new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void CudaOnACpuOnlyBuildFailsNamingThePackage(string name, string[] args)
    {
        TorchRuntime.EnsureLoaded();
        if (torch.cuda.is_available())
        {
            return;   // a CUDA build on a GPU machine: there is nothing to refuse
        }

        var dir = Path.Combine(Path.GetTempPath(), "constcl-device-" + Guid.NewGuid().ToString("N"));
        var (code, _, stderr) = Run([.. args, "--device", "cuda"], dir);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith($"{name}: Device cuda:0 was asked for", stderr);
        Assert.Contains("TorchSharp-cuda-linux", stderr);
        Assert.Contains("TorchSharp-cuda-windows", stderr);
        Assert.Contains("0.107.0", stderr);
        Assert.DoesNotContain("   at ", stderr);            // one line, no stack trace
        Assert.False(Directory.Exists(dir));                 // refused before anything was read or written
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void AValueThatIsNotADeviceIsAUsageError(string name, string[] args)
    {
        _ = name;
        var (code, _, stderr) = Run([.. args, "--device", "gpu"]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--device expects cpu, cuda or cuda:N (N = 0, 1, …); got 'gpu'.", stderr);
    }

    [Fact]
    public void HelpNamesTheDeviceOption()
    {
        var (code, stdout, _) = Run(["pretrain", "--help"]);
        Assert.Equal(0, code);
        Assert.Contains("--device <cpu|cuda[:N]>", stdout);
    }
}

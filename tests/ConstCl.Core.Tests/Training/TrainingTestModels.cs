using ConstCl.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Training;

/// <summary>Small modules and helpers shared by the training and checkpoint tests.</summary>
internal static class TrainingTestModels
{
    /// <summary>Linear → BatchNorm1d → ReLU → Dropout → Linear: parameters, buffers and a consumer of the torch RNG.</summary>
    public static Sequential Mlp(long seed)
    {
        TorchRuntime.Initialize(2);
        torch.manual_seed(seed);
        return nn.Sequential(
            ("fc1", nn.Linear(4, 8)),
            ("bn", nn.BatchNorm1d(8)),
            ("act", nn.ReLU()),
            ("drop", nn.Dropout(0.25)),
            ("fc2", nn.Linear(8, 2)));
    }

    /// <summary>Copies of every state-dict tensor's raw bytes, for bitwise comparisons.</summary>
    public static Dictionary<string, byte[]> Bytes(nn.Module module) =>
        module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous().bytes.ToArray());

    public static Dictionary<string, byte[]> Bytes(IReadOnlyDictionary<string, Tensor> tensors) =>
        tensors.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous().bytes.ToArray());

    public static void AssertBitwiseEqual(IReadOnlyDictionary<string, byte[]> expected, IReadOnlyDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (name, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[name]), $"tensor '{name}' differs");
        }
    }

    private static readonly string TempRoot = CreateTempRoot();

    /// <summary>A fresh directory under a per-process root that is deleted when the test process exits.</summary>
    public static string TempDirectory()
    {
        var dir = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string CreateTempRoot()
    {
        var parent = Path.Combine(Path.GetTempPath(), "constcl-training-tests");
        var root = Path.Combine(parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        // The test host is not always allowed to run exit handlers: remove roots of processes that are gone.
        foreach (var stale in Directory.GetDirectories(parent))
        {
            if (int.TryParse(Path.GetFileName(stale), out var pid) && pid != Environment.ProcessId && !IsRunning(pid))
            {
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort.
                }
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort.
            }
        };
        return root;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

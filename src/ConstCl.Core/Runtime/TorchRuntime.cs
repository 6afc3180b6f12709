using TorchSharp;

namespace ConstCl.Runtime;

/// <summary>
/// One place that prepares libtorch for ConstCl: loads the native back-end and sets the intra-op
/// thread count explicitly (libtorch and the video decoders share the same cores, so the budget is
/// chosen, never left to defaults).
/// </summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();

    /// <summary>The libtorch version the loaded back-end reports (for example "2.10.0").</summary>
    public static string LibTorchVersion
    {
        get
        {
            EnsureLoaded();
            return torch.__version__;
        }
    }

    /// <summary>
    /// Loads the native back-end (throws <see cref="InvalidOperationException"/> with the real cause
    /// when it cannot be loaded) and sets libtorch's intra-op threads.
    /// </summary>
    /// <param name="threads">Intra-op threads for libtorch; 0 means <see cref="Environment.ProcessorCount"/>.</param>
    public static void Initialize(int threads = 0)
    {
        if (threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be 0 (all cores) or a positive count.");
        }

        EnsureLoaded();
        lock (Gate)
        {
            torch.set_num_threads(threads == 0 ? Environment.ProcessorCount : threads);
        }
    }

    /// <summary>Makes sure the native libtorch back-end is loaded, with an actionable message if not.</summary>
    public static void EnsureLoaded()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidOperationException(
                "The libtorch native back-end could not be loaded. An application must reference one back-end package " +
                "(libtorch-cpu-linux-x64 on Linux, TorchSharp-cpu, or TorchSharp-cuda-windows); ConstCl.Core's build targets " +
                "also patch libLibTorchSharp.so for Debian 12 / Ubuntu 22.04. Run `ldd` on libLibTorchSharp.so in the output " +
                "folder to see the missing dependency. Inner error: " + ex.Message, ex);
        }
    }
}

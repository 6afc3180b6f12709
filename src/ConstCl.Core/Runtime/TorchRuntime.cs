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

    /// <summary>
    /// The libtorch device for <paramref name="device"/>: the one place where a <see cref="ComputeDevice"/> meets the loaded
    /// back-end. Loads the back-end first.
    /// </summary>
    /// <param name="device">The device asked for.</param>
    /// <exception cref="InvalidOperationException">A CUDA device was asked for but the back-end has no usable CUDA device
    /// (the message names the packages to reference), or has fewer GPUs than the index needs.</exception>
    public static torch.Device Resolve(ComputeDevice device)
    {
        EnsureLoaded();
        if (device.CudaIndex is not int index)
        {
            return torch.CPU;
        }

        // On a CPU-only back-end this loads nothing new: TorchSharp finds no torch_cuda and answers false.
        if (!torch.cuda.is_available())
        {
            throw new InvalidOperationException(CudaUnavailableMessage(device));
        }

        var count = torch.cuda.device_count();
        if (index >= count)
        {
            throw new InvalidOperationException(
                $"Device {device} was asked for, but libtorch sees {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0 … cuda:{count - 1}).");
        }

        return new torch.Device(DeviceType.CUDA, index);
    }

    /// <summary>Why CUDA cannot run and what to reference instead: the TorchSharp CUDA package of the same version.</summary>
    internal static string CudaUnavailableMessage(ComputeDevice device)
    {
        var v = typeof(torch).Assembly.GetName().Version;
        var version = v is null ? "0.107.0" : $"{v.Major}.{v.Minor}.{Math.Max(v.Build, 0)}";
        var libtorch = Version.TryParse(torch.__version__, out var l) && l.Build >= 0 ? l.ToString(3) : torch.__version__;   // "2.10.0.0" → "2.10.0"
        return $"Device {device} was asked for, but the loaded libtorch back-end has no usable CUDA device: it is the CPU-only " +
            "build (libtorch-cpu-linux-x64 or TorchSharp-cpu), or no NVIDIA GPU and driver were found. To run on a GPU, reference " +
            $"TorchSharp-cuda-linux (Linux x64) or TorchSharp-cuda-windows (Windows x64), version {version} (libtorch {libtorch}, " +
            "CUDA 12.8), instead of the CPU package (in this repository: build with -p:ConstClTorchBackend=cuda-linux or cuda-windows), " +
            "with an NVIDIA driver for CUDA 12.8; or run on the CPU (device \"cpu\").";
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

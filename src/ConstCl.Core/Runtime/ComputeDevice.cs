using System.Globalization;
using System.Text.Json.Serialization;

namespace ConstCl.Runtime;

/// <summary>
/// Where the network runs and its tensors live: the CPU (the default) or one CUDA GPU. Written and parsed as <c>cpu</c>,
/// <c>cuda</c> (GPU 0) or <c>cuda:N</c>; <see cref="ToString"/> always gives <c>cpu</c> or <c>cuda:N</c>, which is also its
/// JSON form (options files and checkpoints). Every value is valid; whether the loaded libtorch back-end can run it is
/// checked by <see cref="TorchRuntime.Resolve"/>.
/// </summary>
[JsonConverter(typeof(ComputeDeviceJsonConverter))]
public readonly struct ComputeDevice : IEquatable<ComputeDevice>
{
    /// <summary>The accepted spellings, for messages and help text.</summary>
    internal const string Forms = "cpu, cuda or cuda:N";

    // CUDA index + 1, so that default(ComputeDevice) is the CPU.
    private readonly int _cudaOrdinal;

    private ComputeDevice(int cudaOrdinal) => _cudaOrdinal = cudaOrdinal;

    /// <summary>The CPU (also <c>default(ComputeDevice)</c>).</summary>
    public static ComputeDevice Cpu => default;

    /// <summary>CUDA GPU number <paramref name="index"/> (as libtorch numbers them, 0 first).</summary>
    /// <param name="index">The GPU's index, at least 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public static ComputeDevice Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfEqual(index, int.MaxValue);
        return new ComputeDevice(index + 1);
    }

    /// <summary>True for a CUDA GPU.</summary>
    public bool IsCuda => _cudaOrdinal > 0;

    /// <summary>The GPU's index, or null for the CPU.</summary>
    public int? CudaIndex => IsCuda ? _cudaOrdinal - 1 : null;

    /// <summary>Reads <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c> (any case, surrounding spaces ignored).</summary>
    /// <param name="text">The device name.</param>
    /// <exception cref="FormatException">Anything else (the message names the accepted forms).</exception>
    public static ComputeDevice Parse(string text) => TryParse(text, out var device)
        ? device
        : throw new FormatException($"'{text}' is not a compute device: expected {Forms} (N = 0, 1, …).");

    /// <summary>Reads <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>; false (and the CPU) for anything else.</summary>
    /// <param name="text">The device name.</param>
    /// <param name="device">The device read.</param>
    public static bool TryParse(string? text, out ComputeDevice device)
    {
        device = Cpu;
        var t = (text ?? "").Trim().ToLowerInvariant();
        if (t == "cpu")
        {
            return true;
        }

        if (t == "cuda")
        {
            device = Cuda(0);
            return true;
        }

        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && index < int.MaxValue)
        {
            device = Cuda(index);
            return true;
        }

        return false;
    }

    /// <summary>The device of a libtorch device (a CUDA device without an index is GPU 0, as libtorch places it).</summary>
    internal static ComputeDevice Of(TorchSharp.torch.Device device) =>
        device.type == TorchSharp.DeviceType.CUDA ? Cuda(Math.Max(device.index, 0)) : Cpu;

    /// <summary><c>cpu</c> or <c>cuda:N</c>.</summary>
    public override string ToString() => IsCuda ? string.Create(CultureInfo.InvariantCulture, $"cuda:{_cudaOrdinal - 1}") : "cpu";

    /// <inheritdoc />
    public bool Equals(ComputeDevice other) => _cudaOrdinal == other._cudaOrdinal;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ComputeDevice other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _cudaOrdinal;

    /// <summary>Same device.</summary>
    public static bool operator ==(ComputeDevice left, ComputeDevice right) => left.Equals(right);

    /// <summary>Different devices.</summary>
    public static bool operator !=(ComputeDevice left, ComputeDevice right) => !left.Equals(right);
}

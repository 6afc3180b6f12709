using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Ops;

/// <summary>
/// Argument checks for tensors that throw with the argument name and what was expected, so a bad
/// shape fails at the public entry point instead of deep inside libtorch.
/// </summary>
internal static class TensorGuard
{
    /// <summary>Throws unless <paramref name="tensor"/> is non-null and has <paramref name="rank"/> dimensions.</summary>
    public static void RequireRank(Tensor? tensor, int rank, string name, string expected)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (tensor.dim() != rank)
        {
            throw new ArgumentException(
                $"{name} must be a {rank}-D tensor {expected}; got shape {Describe(tensor)}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="tensor"/> is float32 or float64.</summary>
    public static void RequireFloating(Tensor tensor, string name)
    {
        if (tensor.dtype != ScalarType.Float32 && tensor.dtype != ScalarType.Float64)
        {
            throw new ArgumentException($"{name} must be float32 or float64; got {tensor.dtype}.", name);
        }
    }

    /// <summary>Throws unless both tensors have the same shape.</summary>
    public static void RequireSameShape(Tensor tensor, Tensor reference, string name, string referenceName)
    {
        if (!tensor.shape.SequenceEqual(reference.shape))
        {
            throw new ArgumentException(
                $"{name} must have the same shape as {referenceName} ({Describe(reference)}); got {Describe(tensor)}.", name);
        }
    }

    /// <summary>Throws unless both tensors have the same dtype and device.</summary>
    public static void RequireSameDtypeAndDevice(Tensor tensor, Tensor reference, string name, string referenceName)
    {
        if (tensor.dtype != reference.dtype)
        {
            throw new ArgumentException(
                $"{name} must have the same dtype as {referenceName} ({reference.dtype}); got {tensor.dtype}.", name);
        }

        RequireSameDevice(tensor, reference, name, referenceName);
    }

    /// <summary>Throws unless both tensors live on the same device.</summary>
    public static void RequireSameDevice(Tensor tensor, Tensor reference, string name, string referenceName)
    {
        if (tensor.device_type != reference.device_type || tensor.device_index != reference.device_index)
        {
            throw new ArgumentException(
                $"{name} must be on the same device as {referenceName} ({reference.device}); got {tensor.device}.", name);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void RequirePositiveFinite(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0.");
        }
    }

    /// <summary>Formats a shape as <c>[2, 3, 4]</c>.</summary>
    public static string Describe(Tensor tensor) => "[" + string.Join(", ", tensor.shape) + "]";
}

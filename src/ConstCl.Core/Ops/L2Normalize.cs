using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Ops;

/// <summary>
/// L2 normalisation with TensorFlow's <c>tf.math.l2_normalize</c> semantics, which the official
/// ConST-CL code uses everywhere: <c>x / sqrt(max(Σx², 1e-12))</c>. (PyTorch's
/// <c>F.normalize</c> clamps the norm, not its square, at 1e-12; the two differ only for vectors
/// with norm below 1e-6.)
/// </summary>
public static class L2Normalize
{
    /// <summary>The floor on the squared norm, as in TensorFlow.</summary>
    public const double Epsilon = 1e-12;

    /// <summary><see cref="Epsilon"/> as a Scalar that is never finalised (an implicit one could be freed mid-call; see
    /// <see cref="Scalars"/>).</summary>
    internal static readonly Scalar EpsilonScalar = Epsilon.ToScalar();

    /// <summary>Normalises <paramref name="input"/> to unit L2 norm along <paramref name="dim"/>; any shape, float dtype.</summary>
    /// <param name="input">Tensor of any shape, for example <c>[B, N, C]</c>.</param>
    /// <param name="dim">The dimension to normalise over (default: the last).</param>
    /// <returns>A tensor of the same shape; differentiable.</returns>
    public static Tensor Apply(Tensor input, long dim = -1)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var squared = Scalars.Square(input).sum(dim, keepdim: true);
        return input.mul(squared.clamp_min(EpsilonScalar).rsqrt()).MoveToOuterDisposeScope();
    }
}

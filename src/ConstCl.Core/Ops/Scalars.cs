using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Ops;

/// <summary>
/// Constant <see cref="Scalar"/>s that are never finalised, and the few scalar-taking calls that need them.
/// </summary>
/// <remarks>
/// TorchSharp frees a Scalar's native value only in its finalizer. A temporary one — an implicit conversion such as
/// <c>t.mul(0.5)</c>, or the alpha that <c>add(Tensor)</c>, <c>operator +</c> and <c>arange(stop)</c> create inside
/// themselves — may be judged dead by the JIT while libtorch still reads it, and a garbage collection then frees it
/// mid-call ("alpha must not be a floating point number", a failed <c>Scalar::toFloat</c>, or silently wrong numbers).
/// So every Scalar in ConstCl.Core is either one of these fields or a <c>using</c> local that outlives its call
/// (enforced by <c>ScalarLifetimeAuditTests</c>). Each constant keeps the C# type of the literal it replaces (int or
/// double), so dtype promotion, and therefore every result, is unchanged.
/// </remarks>
internal static class Scalars
{
    /// <summary>Integer 0 (as the literal <c>0</c>).</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>Integer 1: TorchSharp's implicit alpha of <c>add</c>/<c>add_</c>, and the step of <c>arange</c>.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>Integer 2: the exponent of <c>square()</c> (which is <c>pow(2)</c> in TorchSharp).</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary>Double 0.0 (as the literal <c>0.0</c>).</summary>
    public static readonly Scalar ZeroDouble = 0.0.ToScalar();

    /// <summary>Double 1.0 (as the literal <c>1.0</c>).</summary>
    public static readonly Scalar OneDouble = 1.0.ToScalar();

    /// <summary>Double 0.5 (as the literal <c>0.5</c>).</summary>
    public static readonly Scalar HalfDouble = 0.5.ToScalar();

    /// <summary><c>torch.arange(stop)</c> (0, 1, …, stop − 1) without the two Scalars that overload makes and abandons.</summary>
    /// <param name="stop">Exclusive end; an integer, so with no <paramref name="dtype"/> the result is int64 as before.</param>
    /// <param name="dtype">Element type, or null for TorchSharp's default (int64 for integer bounds).</param>
    /// <param name="device">Device, or null for the default.</param>
    public static Tensor Arange(long stop, ScalarType? dtype = null, Device? device = null)
    {
        using var end = stop.ToScalar();
        return torch.arange(Zero, end, One, dtype, device);
    }

    /// <summary><c>x²</c> as TorchSharp's <c>square()</c> computes it (<c>pow(2)</c>), with a kept-alive exponent.</summary>
    public static Tensor Square(Tensor x) => x.pow(Two);
}

using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>Global-norm gradient utilities that stay on the device (no host reads).</summary>
public static class GradientClipping
{
    // PyTorch's 1e-6 added to the norm, as a Scalar that is never finalised (see Ops.Scalars).
    private static readonly Scalar Guard = 1e-6.ToScalar();

    /// <summary>
    /// The L2 norm over all gradients, <c>sqrt(Σ_p ‖∇p‖²)</c>, as a float32 scalar tensor <c>[]</c> (NaN/Inf propagate, so
    /// it doubles as the finiteness probe of the gradients). Parameters without a gradient are ignored.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are measured.</param>
    public static Tensor GlobalNorm(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var scope = torch.NewDisposeScope();
        var squares = parameters.Select(p => p.grad).Where(g => g is not null)
            .Select(g => Scalars.Square(g!.detach().to_type(ScalarType.Float32)).sum()).ToArray();
        var norm = squares.Length == 0 ? torch.zeros(Array.Empty<long>()) : torch.stack(squares).sum().sqrt();
        return norm.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Scales all gradients in place so that their global norm is at most <paramref name="maxNorm"/>, with PyTorch's
    /// <c>clip_grad_norm_</c> rule: <c>g ← g · min(1, maxNorm / (norm + 1e-6))</c>. Returns the norm before clipping.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped.</param>
    /// <param name="maxNorm">The largest allowed global norm, &gt; 0.</param>
    public static Tensor ClipGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!double.IsFinite(maxNorm) || maxNorm <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be a finite positive number.");
        }

        var list = parameters.ToArray();
        var norm = GlobalNorm(list);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        using var limit = maxNorm.ToScalar();   // alive until the end (see Ops.Scalars)
        var coefficient = norm.add(Guard, Scalars.One).reciprocal().mul(limit).clamp_max(Scalars.OneDouble);
        foreach (var grad in list.Select(p => p.grad).Where(g => g is not null))
        {
            grad!.mul_(coefficient.to_type(grad.dtype));
        }

        return norm;
    }
}

using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The official code's (Keras) initialisers, drawn from an explicit generator: conv kernels VarianceScaling
/// (scale 1, fan_in, truncated normal), Dense kernels glorot-uniform, biases 0. BN/LN keep γ = 1, β = 0.
/// </summary>
internal static class ParameterInit
{
    // Keras divides the stddev by the std of a unit normal truncated to [-2, 2] so the variance is 1/fan_in.
    private const double TruncatedStdCorrection = 0.87962566103423978;

    // Φ(−2) and Φ(2): the truncation bounds of the unit normal in probability space.
    private const double LowerCdf = 0.022750131948179195;
    private const double UpperCdf = 0.97724986805182079;

    /// <summary>Keras VarianceScaling(1, fan_in, truncated_normal) for a conv kernel <c>[out, in, kt, kh, kw]</c>.</summary>
    public static void VarianceScaling(Tensor weight, Generator generator)
    {
        var shape = weight.shape;
        long fanIn = 1;
        for (var d = 1; d < shape.Length; d++)
        {
            fanIn *= shape[d];
        }

        var std = Math.Sqrt(1.0 / fanIn) / TruncatedStdCorrection;
        using var _ = no_grad();
        // Inverse-CDF sampling of N(0, 1) truncated to [-2, 2] (what torch's trunc_normal_ does, but seedable).
        // Explicit Scalars that outlive their calls (see Ops.Scalars), each of its literal's type.
        using var width = (UpperCdf - LowerCdf).ToScalar();
        using var lower = LowerCdf.ToScalar();
        using var sqrt2 = Math.Sqrt(2.0).ToScalar();
        using var low = (-2.0).ToScalar();
        using var high = 2.0.ToScalar();
        using var scale = std.ToScalar();
        using var u = rand(shape, dtype: ScalarType.Float32, generator: generator);
        using var p = u.mul(width).add_(lower, Scalars.One);
        using var z = p.mul(Scalars.Two).sub_(Scalars.One).erfinv_().mul_(sqrt2).clamp_(low, high).mul_(scale);
        weight.copy_(z);
    }

    /// <summary>Keras glorot_uniform for a Linear weight <c>[out, in]</c>: U(±√(6 / (in + out))).</summary>
    public static void GlorotUniform(Tensor weight, Generator generator)
    {
        var limit = Math.Sqrt(6.0 / (weight.shape[0] + weight.shape[1]));
        using var _ = no_grad();
        using var range = (2 * limit).ToScalar();
        using var offset = limit.ToScalar();
        using var u = rand(weight.shape, dtype: weight.dtype, generator: generator);
        weight.copy_(u.mul_(range).sub_(offset));
    }

    /// <summary>A Linear layer initialised like a Keras Dense layer (glorot-uniform kernel, zero bias).</summary>
    public static TorchSharp.Modules.Linear Dense(long inFeatures, long outFeatures, bool bias, Generator generator)
    {
        var linear = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        GlorotUniform(linear.weight!, generator);
        if (linear.bias is not null)
        {
            using var _ = no_grad();
            linear.bias.zero_();
        }

        return linear;
    }
}

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
        using var u = rand(shape, dtype: ScalarType.Float32, generator: generator);
        using var p = u.mul(UpperCdf - LowerCdf).add_(LowerCdf);
        using var z = p.mul(2).sub_(1).erfinv_().mul_(Math.Sqrt(2.0)).clamp_(-2.0, 2.0).mul_(std);
        weight.copy_(z);
    }

    /// <summary>Keras glorot_uniform for a Linear weight <c>[out, in]</c>: U(±√(6 / (in + out))).</summary>
    public static void GlorotUniform(Tensor weight, Generator generator)
    {
        var limit = Math.Sqrt(6.0 / (weight.shape[0] + weight.shape[1]));
        using var _ = no_grad();
        using var u = rand(weight.shape, dtype: weight.dtype, generator: generator);
        weight.copy_(u.mul_(2 * limit).sub_(limit));
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

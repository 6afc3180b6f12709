using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Export;

/// <summary>
/// The inference-time parameters of a batch-norm layer, each <c>[C]</c>:
/// <c>y = (x − Mean) / sqrt(Variance + Epsilon) · Scale + Shift</c>.
/// The tensors are borrowed (not owned): the exporter only reads them.
/// </summary>
/// <param name="Mean">Running mean <c>[C]</c>.</param>
/// <param name="Variance">Running variance <c>[C]</c>.</param>
/// <param name="Scale">γ <c>[C]</c>, or null for 1 (non-affine BN).</param>
/// <param name="Shift">β <c>[C]</c>, or null for 0 (non-affine BN).</param>
/// <param name="Epsilon">Added to the variance (TorchSharp default 1e-5).</param>
internal sealed record BatchNormParameters(Tensor Mean, Tensor Variance, Tensor? Scale, Tensor? Shift, double Epsilon)
{
    /// <summary>Number of channels C.</summary>
    public long Channels => Mean.shape[0];

    /// <summary>Reads the running statistics and affine parameters of a TorchSharp batch-norm module.</summary>
    /// <exception cref="NotSupportedException">The module tracks no running statistics (its eval output depends on the batch).</exception>
    public static BatchNormParameters FromModule(NormBase norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        if (norm.running_mean is null || norm.running_var is null)
        {
            throw new NotSupportedException(
                $"Batch norm with {norm.num_features} features has no running statistics (track_running_stats=false); " +
                "its inference output depends on the batch and cannot be exported as a fixed ONNX BatchNormalization.");
        }

        return new BatchNormParameters(norm.running_mean, norm.running_var, norm.weight, norm.bias, norm.eps);
    }

    /// <summary>
    /// Folds this batch norm into the convolution (or linear layer) before it:
    /// <c>W′ = W · s</c>, <c>b′ = (b − μ) · s + β</c> with <c>s = γ / sqrt(σ² + ε)</c> per output channel.
    /// Computed in float64, returned as float32 tensors owned by the caller.
    /// </summary>
    /// <param name="weight">Conv weight <c>[C_out, C_in/groups, k…]</c> (or linear weight <c>[C_out, C_in]</c>).</param>
    /// <param name="bias">Conv bias <c>[C_out]</c>, or null for none.</param>
    public (Tensor Weight, Tensor Bias) FoldInto(Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() < 2 || weight.shape[0] != Channels)
        {
            throw new ArgumentException(
                $"Cannot fold a batch norm of {Channels} channels into a weight of shape [{string.Join(", ", weight.shape)}]: " +
                $"expected [C_out={Channels}, …].", nameof(weight));
        }

        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        // add(Tensor) would create an implicit alpha Scalar that only the finalizer frees; seen once freed while in
        // use (libtorch: "Expected false to be true" in Scalar::toDouble). Explicit ones live until this method ends.
        using var one = 1.0.ToScalar();
        using var epsilon = Epsilon.ToScalar();
        var f64 = ScalarType.Float64;
        var s = Variance.detach().cpu().to_type(f64).add(epsilon, Scalars.One).rsqrt(); // [C]
        if (Scale is not null)
        {
            s = s.mul(Scale.detach().cpu().to_type(f64));
        }

        var viewShape = new long[weight.dim()];
        Array.Fill(viewShape, 1L);
        viewShape[0] = Channels;
        var w = weight.detach().cpu().to_type(f64).mul(s.view(viewShape));           // [C_out, …]
        var b = bias is null ? torch.zeros(Channels, dtype: f64) : bias.detach().cpu().to_type(f64);
        b = b.sub(Mean.detach().cpu().to_type(f64)).mul(s);                           // [C_out]
        if (Shift is not null)
        {
            b = b.add(Shift.detach().cpu().to_type(f64), one);
        }

        return (w.to_type(ScalarType.Float32).MoveToOuterDisposeScope(), b.to_type(ScalarType.Float32).MoveToOuterDisposeScope());
    }
}

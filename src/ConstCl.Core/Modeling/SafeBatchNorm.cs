using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// TorchSharp's <c>BatchNorm1d</c>/<c>BatchNorm3d</c> — same parameters, buffers, state-dict names, initialisation and
/// numbers — whose training forward counts the batch with a Scalar that is never finalised.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>BatchNorm.forward</c> runs <c>num_batches_tracked.add_(1)</c>: two implicit Scalars (the value
/// and the alpha) that only the finalizer frees. One was freed while libtorch read it and killed a run after ~1,700
/// steps ("For integral input tensors, argument alpha must not be a floating point number"); see <see cref="Scalars"/>.
/// This forward is TorchSharp's, line for line, with <see cref="Scalars.One"/> for both. It derives from
/// <see cref="BatchNorm"/>, so the ONNX exporter (which reads any <see cref="NormBase"/>) sees it as before.
/// </remarks>
internal sealed class SafeBatchNorm : BatchNorm
{
    private readonly int[] _ranks;
    private readonly string _shape;

    private SafeBatchNorm(long features, double eps, double momentum, int[] ranks, string shape, string name)
        : base(features, eps, momentum, affine: true, track_running_stats: true, device: null, dtype: null, name)
    {
        _ranks = ranks;
        _shape = shape;
    }

    /// <summary>As <c>nn.BatchNorm1d(features, eps, momentum)</c>: input <c>[N, C]</c> or <c>[N, C, L]</c>.</summary>
    public static SafeBatchNorm Create1d(long features, double eps = 1e-5, double momentum = 0.1) =>
        new(features, eps, momentum, [2, 3], "[N, C] or [N, C, L]", "BatchNorm1d");

    /// <summary>As <c>nn.BatchNorm3d(features, eps, momentum)</c>: input <c>[B, C, T, H, W]</c>.</summary>
    public static SafeBatchNorm Create3d(long features, double eps = 1e-5, double momentum = 0.1) =>
        new(features, eps, momentum, [5], "[B, C, T, H, W]", "BatchNorm3d");

    /// <summary>Normalises <paramref name="input"/> with the batch statistics (training, updating the running ones) or
    /// the running statistics (evaluation); same shape out.</summary>
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var factor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is { } tracked)
        {
            tracked.add_(Scalars.One, Scalars.One);
            // No momentum means a cumulative average (PyTorch); every ConstCl norm has one.
            factor = momentum ?? 1.0 / tracked.item<long>();
        }

        var useBatchStatistics = training || (running_mean is null && running_var is null);
        var updateOrUseRunning = !training || track_running_stats;
        return nn.functional.batch_norm(
            input,
            updateOrUseRunning ? running_mean : null,
            updateOrUseRunning ? running_var : null,
            weight,
            bias,
            useBatchStatistics,
            factor,
            eps);
    }

    /// <inheritdoc/>
    protected override void ValidateInputDimensions(Tensor input)
    {
        if (!_ranks.Contains((int)input.ndim))
        {
            throw new ArgumentException($"expected {_shape} input, but got {input.ndim}D input.", nameof(input));
        }
    }
}

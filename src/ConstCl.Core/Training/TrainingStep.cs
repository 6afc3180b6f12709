using ConstCl.Losses;
using ConstCl.Modeling;
using ConstCl.Ops;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// One ConST-CL training step, the same for <see cref="Pretrainer"/>, <c>constcl bench train</c> and the leak test:
/// <see cref="Compute"/> zeroes the gradients, keeps the BatchNorm buffers, runs both views through the model, computes
/// the objective plus the official L2 term (SGD and LARS; AdamW decays on its own), back-propagates and clips or
/// measures the global gradient norm; then the caller either <see cref="Apply"/>s the update or <see cref="Revert"/>s
/// (a non-finite step must not leave NaN in the running statistics).
/// The tensors of a result belong to the caller's dispose scope; call it inside one. Public for <see cref="Run"/>, one whole
/// step for benchmarks and hand-written loops.
/// </summary>
public sealed class TrainingStep
{
    private readonly ConstClModel _model;
    private readonly ConstClOptimizer _optimizer;
    private readonly ConstClObjectiveOptions _objective;
    private readonly KernelWeightDecay _decay;
    private readonly double? _clipNorm;
    private readonly TorchSharp.Modules.Parameter[] _parameters;
    private readonly Tensor[] _buffers;
    private Tensor[]? _buffersBefore;

    /// <summary>A step over <paramref name="model"/> with <paramref name="optimizer"/>, the objective, weight decay and clipping of <paramref name="options"/>.</summary>
    /// <param name="model">The model, in training mode, on its device.</param>
    /// <param name="optimizer">The optimiser over the model's parameters.</param>
    /// <param name="options">Read for <see cref="PretrainingOptions.Objective"/>, <see cref="PretrainingOptions.WeightDecay"/> and <see cref="PretrainingOptions.GradientClipNorm"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public TrainingStep(ConstClModel model, ConstClOptimizer optimizer, PretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _optimizer = optimizer;
        _objective = options.Objective;
        _decay = new KernelWeightDecay(model, options.WeightDecay);
        _clipNorm = options.GradientClipNorm;
        _parameters = model.parameters().ToArray();
        _buffers = model.buffers().ToArray();
    }

    /// <summary>
    /// One whole step: forward, loss and backward on <paramref name="input"/>, then the update at
    /// <paramref name="learningRate"/>; waits for the device and returns the loss. Unlike <see cref="Pretrainer"/> it applies
    /// a step whose loss is not finite; call it inside a dispose scope.
    /// </summary>
    /// <param name="input">Both views <c>[B, 3, T, H, W]</c> and their boxes <c>[B, T, N, 4]</c>, on the model's device.</param>
    /// <param name="learningRate">The learning rate of this update.</param>
    /// <returns>The loss (objective plus the L2 term where the optimiser uses one).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    public float Run(ConstClModelInput input, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(input);
        var result = Compute(input);
        Apply(learningRate);
        return result.Loss.item<float>();
    }

    /// <summary>
    /// Forward, loss and backward for one batch (gradients are left in the parameters, nothing is updated yet).
    /// BatchNorm's running statistics are kept first, so <see cref="Revert"/> can put them back.
    /// </summary>
    /// <param name="input">Both views and their boxes, on the model's device.</param>
    internal TrainingStepResult Compute(ConstClModelInput input)
    {
        _optimizer.zero_grad();
        // A few thousand floats: cheap next to the step, and the only state a forward pass changes.
        _buffersBefore = _buffers.Select(b => b.detach().clone()).ToArray();
        // A global-only objective (CVRL, ω = 0) never reads the region tensors: skip res5_local and the region head.
        var output = _model.Forward(input, _objective.TimeReversedNegatives, skipLocalBranch: _objective.IsGlobalOnly);
        var objective = ConstClObjective.Compute(output, _objective);
        var weightDecay = _optimizer.UsesL2LossTerm
            ? _decay.Compute()
            : torch.zeros([], dtype: objective.Total.dtype, device: objective.Total.device);
        var loss = objective.Total.add(weightDecay, Scalars.One);   // operator + would make a finalizer-owned alpha
        loss.backward();
        var norm = _clipNorm is { } max ? GradientClipping.ClipGlobalNorm(_parameters, max) : GradientClipping.GlobalNorm(_parameters);
        return new TrainingStepResult(output, objective, weightDecay, loss, norm);
    }

    /// <summary>Updates the weights with the gradients of the last <see cref="Compute"/> at <paramref name="learningRate"/>.</summary>
    internal void Apply(double learningRate)
    {
        _optimizer.LearningRate = learningRate;
        _optimizer.step();
        _buffersBefore = null;
    }

    /// <summary>
    /// Puts back the BatchNorm buffers of before the last <see cref="Compute"/> (the weights were not touched); does
    /// nothing when there is no step to revert. Call it inside the dispose scope of that <see cref="Compute"/>.
    /// </summary>
    internal void Revert()
    {
        if (_buffersBefore is null)
        {
            return;
        }

        using var noGrad = torch.no_grad();
        for (var i = 0; i < _buffers.Length; i++)
        {
            _buffers[i].copy_(_buffersBefore[i]);
        }

        _buffersBefore = null;
    }
}

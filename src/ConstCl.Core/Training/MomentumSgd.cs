using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// Momentum SGD with the semantics of Keras / TensorFlow (<c>tf.keras.optimizers.SGD</c>, kernel
/// <c>ResourceApplyKerasMomentum</c>), which the official ConST-CL code uses:
/// <code>
/// v ← m·v − lr·g
/// w ← w + v                      (Nesterov: w ← w + m·v − lr·g)
/// </code>
/// PyTorch's <c>torch.optim.SGD</c> instead keeps <c>b ← m·b + g; w ← w − lr·b</c>. The two agree while the learning
/// rate is constant, but not when it changes: in PyTorch's form the whole accumulated velocity is rescaled by the
/// current rate, i.e. Keras' velocity is multiplied by <c>lr_t / lr_(t−1)</c> each step. During warm-up that ratio is
/// large (2 at the second step), so the two diverge; this class reproduces Keras exactly.
/// Weight decay is not applied here: the official code adds it to the loss (<see cref="KernelWeightDecay"/>).
/// </summary>
public sealed class MomentumSgd : ConstClOptimizer
{
    /// <summary>Creates the optimiser over named parameters (names key the checkpointed velocities).</summary>
    /// <param name="parameters">Named parameters, e.g. <c>model.named_parameters()</c>.</param>
    /// <param name="momentum">Momentum coefficient m (official 0.9).</param>
    /// <param name="nesterov">Nesterov momentum (official false).</param>
    public MomentumSgd(IEnumerable<(string Name, Parameter Parameter)> parameters, double momentum = 0.9, bool nesterov = false)
        : base([(ToList(parameters), false)], momentum, nesterov)
    {
    }

    private protected override void Update(Parameter parameter, Tensor grad, Tensor[] slots, double learningRate, bool adapt)
    {
        var velocity = slots[0];
        // Explicit Scalars that outlive their calls: an implicit one can be finalised mid-call (see Ops.Scalars).
        using var momentum = Momentum.ToScalar();
        using var step = (-learningRate).ToScalar();
        velocity.mul_(momentum).add_(grad, alpha: step);
        if (Nesterov)
        {
            parameter.add_(velocity, alpha: momentum).add_(grad, alpha: step);
        }
        else
        {
            parameter.add_(velocity, Scalars.One);
        }
    }

    private static IReadOnlyList<(string Name, Parameter Parameter)> ToList(IEnumerable<(string Name, Parameter Parameter)> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.ToArray();
    }
}

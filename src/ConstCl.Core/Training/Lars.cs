using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// LARS (You, Gitman, Ginsburg 2017, "Large Batch Training of Convolutional Networks") with classic momentum, as
/// implemented in SimCLR and Model Garden (<c>official/modeling/optimization/lars_optimizer.py</c>):
/// <code>
/// trust = η·‖w‖/‖g‖   if the parameter is adapted and ‖w‖ &gt; 0 and ‖g‖ &gt; 0, else 1
/// v ← m·v + lr·trust·g
/// w ← w − v                      (Nesterov: w ← w − (m·v + lr·trust·g))
/// </code>
/// Only kernels (<see cref="KernelWeightDecay.SelectKernels"/>) are adapted; biases and normalisation parameters take
/// the plain momentum update, which is Model Garden's <c>exclude_from_layer_adaptation</c>. Weight decay enters
/// through the loss's explicit L2 term over the same kernels, so <c>g</c> already holds <c>wd·W</c> for them and
/// nothing for the excluded parameters: the same update as LARS' built-in decay with
/// <c>exclude_from_weight_decay = [biases, norms]</c>. The official ConST-CL code does not use LARS (spec §4.2).
/// </summary>
public sealed class Lars : ConstClOptimizer
{
    /// <summary>Creates the optimiser.</summary>
    /// <param name="adapted">Named parameters that take the trust ratio (kernels).</param>
    /// <param name="excluded">Named parameters excluded from adaptation (biases, normalisation γ/β).</param>
    /// <param name="momentum">Momentum coefficient m.</param>
    /// <param name="trustCoefficient">η (0.001 in SimCLR / Model Garden).</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    public Lars(
        IEnumerable<(string Name, Parameter Parameter)> adapted,
        IEnumerable<(string Name, Parameter Parameter)> excluded,
        double momentum = 0.9,
        double trustCoefficient = 0.001,
        bool nesterov = false)
        : base([(Materialise(adapted, nameof(adapted)), true), (Materialise(excluded, nameof(excluded)), false)], momentum, nesterov)
    {
        if (!double.IsFinite(trustCoefficient) || trustCoefficient <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(trustCoefficient), trustCoefficient, "trustCoefficient must be a finite positive number.");
        }

        TrustCoefficient = trustCoefficient;
    }

    /// <summary>η, the trust coefficient.</summary>
    public double TrustCoefficient { get; }

    /// <summary>LARS over the trainable parameters of <paramref name="model"/>, adapting exactly its kernels.</summary>
    /// <param name="model">The model.</param>
    /// <param name="momentum">Momentum coefficient m.</param>
    /// <param name="trustCoefficient">η.</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    public static Lars ForModel(nn.Module model, double momentum = 0.9, double trustCoefficient = 0.001, bool nesterov = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var kernels = KernelWeightDecay.SelectKernels(model).Select(k => k.Parameter.Handle).ToHashSet();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        return new Lars(
            trainable.Where(p => kernels.Contains(p.parameter.Handle)),
            trainable.Where(p => !kernels.Contains(p.parameter.Handle)),
            momentum,
            trustCoefficient,
            nesterov);
    }

    private protected override void Update(Parameter parameter, Tensor grad, Tensor[] slots, double learningRate, bool adapt)
    {
        var velocity = slots[0];
        // Explicit Scalars that outlive their calls: an implicit one can be finalised mid-call (see Ops.Scalars).
        using var momentum = Momentum.ToScalar();
        using var rate = learningRate.ToScalar();
        Tensor scaledGrad;
        if (adapt)
        {
            using var trustCoefficient = TrustCoefficient.ToScalar();
            var wNorm = parameter.norm();
            var gNorm = grad.norm();
            var ratio = wNorm.mul(trustCoefficient).div(gNorm);
            var usable = wNorm.gt(Scalars.Zero).logical_and(gNorm.gt(Scalars.Zero));
            var trust = torch.where(usable, ratio, torch.ones_like(ratio));
            scaledGrad = grad.mul(trust).mul_(rate);
        }
        else
        {
            scaledGrad = grad.mul(rate);
        }

        velocity.mul_(momentum).add_(scaledGrad, Scalars.One);
        if (Nesterov)
        {
            parameter.sub_(velocity.mul(momentum).add_(scaledGrad, Scalars.One));
        }
        else
        {
            parameter.sub_(velocity);
        }
    }

    private static IReadOnlyList<(string Name, Parameter Parameter)> Materialise(IEnumerable<(string Name, Parameter Parameter)> parameters, string name)
    {
        ArgumentNullException.ThrowIfNull(parameters, name);
        return parameters.ToArray();
    }
}

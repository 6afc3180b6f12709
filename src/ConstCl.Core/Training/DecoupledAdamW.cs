using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter 2019) as <c>torch.optim.AdamW</c> computes it, with decoupled weight decay on kernels
/// only (the parameters <see cref="KernelWeightDecay.SelectKernels"/> finds; biases and normalisation parameters are not
/// decayed, as in the official code's L2 term):
/// <code>
/// w ← w · (1 − lr·wd)                                  (kernels only)
/// m ← β1·m + (1 − β1)·g ;  v ← β2·v + (1 − β2)·g²
/// w ← w − lr / (1 − β1^t) · m / (√v / √(1 − β2^t) + ε)
/// </code>
/// with t the number of updates applied so far (skipped non-finite steps do not count). Not in the official code: the
/// optimiser of the CPU-sized <c>Small</c> preset, where momentum SGD's single learning rate cannot serve a stem whose
/// gradient is hundreds of times larger than the last stage's (docs/training.md, "Why pre-training did not learn").
/// Because the decay is decoupled, <see cref="UsesL2LossTerm"/> is false and the loss carries no L2 term.
/// </summary>
public sealed class DecoupledAdamW : ConstClOptimizer
{
    /// <summary>The checkpoint key of the update count t.</summary>
    internal const string UpdatesKey = "adamw/updates";

    private long _updates;

    /// <summary>Creates the optimiser.</summary>
    /// <param name="decayed">Named parameters that take the decoupled weight decay (kernels).</param>
    /// <param name="notDecayed">Named parameters without decay (biases, normalisation γ/β).</param>
    /// <param name="beta1">First-moment decay β1 in [0, 1).</param>
    /// <param name="beta2">Second-moment decay β2 in [0, 1).</param>
    /// <param name="epsilon">ε &gt; 0 added to the denominator.</param>
    /// <param name="weightDecay">Decoupled decay coefficient ≥ 0 (multiplied by the learning rate, as PyTorch does).</param>
    public DecoupledAdamW(
        IEnumerable<(string Name, Parameter Parameter)> decayed,
        IEnumerable<(string Name, Parameter Parameter)> notDecayed,
        double beta1 = 0.9,
        double beta2 = 0.999,
        double epsilon = 1e-8,
        double weightDecay = 0.01)
        : base([(Materialise(decayed, nameof(decayed)), true), (Materialise(notDecayed, nameof(notDecayed)), false)], 0, false, ["exp_avg", "exp_avg_sq"])
    {
        Check(beta1 is >= 0 and < 1, nameof(beta1), beta1, "in [0, 1)");
        Check(beta2 is >= 0 and < 1, nameof(beta2), beta2, "in [0, 1)");
        Check(double.IsFinite(epsilon) && epsilon > 0, nameof(epsilon), epsilon, "a finite positive number");
        Check(double.IsFinite(weightDecay) && weightDecay >= 0, nameof(weightDecay), weightDecay, "a finite number >= 0");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    /// <summary>β1.</summary>
    public double Beta1 { get; }

    /// <summary>β2.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight-decay coefficient (kernels only).</summary>
    public double WeightDecay { get; }

    /// <summary>Updates applied so far (t of the bias corrections).</summary>
    public long Updates => _updates;

    /// <inheritdoc />
    public override bool UsesL2LossTerm => false;

    /// <summary>AdamW over the trainable parameters of <paramref name="model"/>, decaying exactly its kernels.</summary>
    /// <param name="model">The model.</param>
    /// <param name="beta1">β1.</param>
    /// <param name="beta2">β2.</param>
    /// <param name="epsilon">ε.</param>
    /// <param name="weightDecay">Decoupled decay coefficient.</param>
    public static DecoupledAdamW ForModel(nn.Module model, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0.01)
    {
        ArgumentNullException.ThrowIfNull(model);
        var kernels = KernelWeightDecay.SelectKernels(model).Select(k => k.Parameter.Handle).ToHashSet();
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        return new DecoupledAdamW(
            trainable.Where(p => kernels.Contains(p.parameter.Handle)),
            trainable.Where(p => !kernels.Contains(p.parameter.Handle)),
            beta1,
            beta2,
            epsilon,
            weightDecay);
    }

    private protected override void BeginStep() => _updates++;

    private protected override void Update(Parameter parameter, Tensor grad, Tensor[] slots, double learningRate, bool adapt)
    {
        var (expAvg, expAvgSq) = (slots[0], slots[1]);
        var biasCorrection1 = 1 - Math.Pow(Beta1, _updates);
        var biasCorrection2 = 1 - Math.Pow(Beta2, _updates);
        // Explicit, disposed Scalars: implicit double → Scalar conversions are freed by the finalizer, which has raced
        // with libtorch before (docs/training.md).
        using var decay = (1 - learningRate * WeightDecay).ToScalar();
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var stepSize = (-learningRate / biasCorrection1).ToScalar();
        if (adapt && WeightDecay > 0)
        {
            parameter.mul_(decay);
        }

        expAvg.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
        using var denominator = expAvgSq.sqrt().div_(sqrtCorrection2).add_(epsilon, Scalars.One);
        parameter.addcdiv_(expAvg, denominator, value: stepSize);
    }

    private protected override IEnumerable<(string Key, Tensor Value)> ExportExtraState() => [(UpdatesKey, torch.tensor(new[] { _updates }))];

    private protected override IReadOnlyDictionary<string, (ScalarType DType, long[] Shape)> ExtraStateShapes =>
        new Dictionary<string, (ScalarType, long[])> { [UpdatesKey] = (ScalarType.Int64, [1]) };

    private protected override void ImportExtraState(IReadOnlyDictionary<string, Tensor> state)
    {
        _updates = state[UpdatesKey].data<long>()[0];   // int64 [1], checked by ImportState
    }

    private static IReadOnlyList<(string Name, Parameter Parameter)> Materialise(IEnumerable<(string Name, Parameter Parameter)> parameters, string name)
    {
        ArgumentNullException.ThrowIfNull(parameters, name);
        return parameters.ToArray();
    }

    private static void Check(bool ok, string name, double value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {expected}.");
        }
    }
}

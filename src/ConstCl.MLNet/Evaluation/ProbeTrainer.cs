namespace ConstCl.MLNet.Evaluation;

/// <summary>The ML.NET multiclass trainer a <see cref="LinearProbe"/> fits.</summary>
public enum ProbeTrainer
{
    /// <summary><c>LbfgsMaximumEntropy</c>: multinomial logistic regression by L-BFGS (the default).</summary>
    Lbfgs,

    /// <summary><c>SdcaMaximumEntropy</c>: multinomial logistic regression by stochastic dual coordinate ascent.</summary>
    Sdca,
}

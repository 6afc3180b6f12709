namespace ConstCl.Training;

/// <summary>Which update rule pre-training uses.</summary>
public enum OptimizerKind
{
    /// <summary>Momentum SGD with Keras semantics (<see cref="MomentumSgd"/>): what the official ConST-CL code uses.</summary>
    Sgd,

    /// <summary>LARS (You et al. 2017) with classic momentum (<see cref="Lars"/>), as in SimCLR / Model Garden.</summary>
    Lars,

    /// <summary>
    /// AdamW with decoupled weight decay on kernels (<see cref="DecoupledAdamW"/>). Not in the official code: the CPU-sized
    /// <see cref="PretrainingOptions.Small"/> preset's optimiser.
    /// </summary>
    AdamW,
}

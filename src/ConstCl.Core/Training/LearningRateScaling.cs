namespace ConstCl.Training;

/// <summary>How the peak learning rate follows the batch size.</summary>
public enum LearningRateScaling
{
    /// <summary><c>lr = BaseLearningRate</c> at every batch size (the official config treats 40.96 as absolute).</summary>
    None,

    /// <summary><c>lr = BaseLearningRate · BatchSize / ReferenceBatchSize</c> (Goyal et al. linear scaling rule).</summary>
    Linear,
}

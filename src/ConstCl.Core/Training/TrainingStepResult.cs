using ConstCl.Losses;
using ConstCl.Modeling;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>What one <see cref="TrainingStep.Compute"/> produced; the tensors live in the caller's dispose scope.</summary>
/// <param name="Output">The model's output for both views.</param>
/// <param name="Objective">Global and local losses and their total.</param>
/// <param name="WeightDecay">The L2 term added to the loss (a zero scalar for AdamW, which decays on its own).</param>
/// <param name="Loss">Objective plus weight-decay term: the scalar that was back-propagated.</param>
/// <param name="GradientNorm">The global gradient norm before clipping.</param>
internal sealed record TrainingStepResult(ConstClModelOutput Output, ConstClObjectiveResult Objective, Tensor WeightDecay, Tensor Loss, Tensor GradientNorm);

using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Commands.Probe;

/// <summary>The result of one split, with the split it belongs to.</summary>
/// <param name="Split">The split.</param>
/// <param name="Result">Its numbers.</param>
internal sealed record ProbeSplitResult(ProbeSplit Split, ClassificationResult Result);

using ConstCl.MLNet.Evaluation;

namespace ConstCl.Cli.Commands.Probe;

/// <summary>The result of one split, with the split it belongs to.</summary>
/// <param name="Split">The split.</param>
/// <param name="Result">Its numbers.</param>
/// <param name="Recall">Retrieval recall@k by k (<see cref="RetrievalRecall"/>): test videos querying the training videos.</param>
internal sealed record ProbeSplitResult(ProbeSplit Split, ClassificationResult Result, IReadOnlyDictionary<int, double> Recall);

namespace ConstCl.MLNet.Evaluation;

/// <summary>The result of one split of a <see cref="ProbeEvaluation"/>, with what the reports and pictures need.</summary>
/// <param name="Split">The split.</param>
/// <param name="Result">Its numbers (top-1, top-5, per class, confusion).</param>
/// <param name="Recall">Retrieval recall@k by k (<see cref="RetrievalRecall"/>): test videos querying the training videos.</param>
/// <param name="Train">The training videos that have embeddings, as examples (vectors <c>[D]</c>), in list order.</param>
/// <param name="TrainPaths">Their paths.</param>
/// <param name="Test">The test videos that have embeddings, as examples, in list order.</param>
/// <param name="TestPaths">Their paths.</param>
/// <param name="Neighbours">For each test video, the indices into <paramref name="Train"/> of its nearest training videos (cosine), nearest first.</param>
/// <param name="FitSeconds">Seconds spent fitting the classifier.</param>
public sealed record ProbeSplitResult(
    ProbeSplit Split,
    ClassificationResult Result,
    IReadOnlyDictionary<int, double> Recall,
    IReadOnlyList<LabeledEmbedding> Train,
    IReadOnlyList<string> TrainPaths,
    IReadOnlyList<LabeledEmbedding> Test,
    IReadOnlyList<string> TestPaths,
    int[][] Neighbours,
    double FitSeconds);

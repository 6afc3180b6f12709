namespace ConstCl.MLNet.Evaluation;

/// <summary>How the K nearest neighbours of a <see cref="KnnClassifier"/> vote.</summary>
public enum KnnVoting
{
    /// <summary>Each neighbour gives one vote to its class; ties between classes go to the larger summed cosine similarity.</summary>
    Majority,

    /// <summary>Each neighbour gives its cosine similarity to its class (a closer neighbour counts more).</summary>
    SimilarityWeighted,
}

namespace ConstCl.MLNet.Evaluation;

/// <summary>One example for a probe: a video's embedding and its class.</summary>
/// <param name="ClassIndex">Zero-based class index into the class list given to the probe.</param>
/// <param name="Vector">The embedding, <c>[D]</c> (normally L2-normalised, as <see cref="ConstCl.Embedding.VideoEmbedder"/> makes it).</param>
public sealed record LabeledEmbedding(int ClassIndex, float[] Vector);

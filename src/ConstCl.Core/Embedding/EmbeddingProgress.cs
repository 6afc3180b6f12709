namespace ConstCl.Embedding;

/// <summary>Progress of a <see cref="VideoEmbedder"/> run, reported after each video.</summary>
/// <param name="Done">Videos finished (embedded or failed).</param>
/// <param name="Total">Videos in the run, or −1 when the input is a stream of unknown length.</param>
/// <param name="Failed">Videos that failed so far.</param>
/// <param name="Clips">Clips (views) encoded so far.</param>
public sealed record EmbeddingProgress(int Done, int Total, int Failed, long Clips);

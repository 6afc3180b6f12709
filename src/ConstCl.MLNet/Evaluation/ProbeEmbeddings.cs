namespace ConstCl.MLNet.Evaluation;

/// <summary>The embeddings of every video listed by the splits of a <see cref="ProbeEvaluation"/>, each computed once.</summary>
/// <param name="Vectors">The L2-normalised embedding <c>[D]</c> of each video that has one, by path.</param>
/// <param name="Failures">Why each listed video has none (it failed to decode, or the dataset could not use its listing), by path.</param>
/// <param name="Cached">Videos whose embedding came from the cache.</param>
/// <param name="Seconds">Seconds spent computing embeddings (0 when all came from the cache).</param>
public sealed record ProbeEmbeddings(
    IReadOnlyDictionary<string, float[]> Vectors,
    IReadOnlyDictionary<string, string> Failures,
    int Cached,
    double Seconds);

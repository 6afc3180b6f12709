namespace ConstCl.Embedding;

/// <summary>What an <see cref="EmbeddingJob"/> run ended with.</summary>
/// <param name="Rows">
/// One row per embedded video of the job's list (this run's and earlier runs'), in list order, labelled as the list labels it
/// now; empty when <paramref name="Cancelled"/>.
/// </param>
/// <param name="Failures">The videos that failed and were never embedded (their last failure row); empty when cancelled.</param>
/// <param name="Embedded">Rows (embedded or failed) this run wrote to part files.</param>
/// <param name="Cancelled">True when the run was stopped: the rows finished before the stop are in the part files, and a rerun resumes.</param>
public sealed record EmbeddingJobResult(IReadOnlyList<EmbeddingRow> Rows, IReadOnlyList<EmbeddingRow> Failures, int Embedded, bool Cancelled);

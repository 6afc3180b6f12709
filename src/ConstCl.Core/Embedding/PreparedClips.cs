namespace ConstCl.Embedding;

/// <summary>
/// The evaluation views of one video: <see cref="Data"/> is <c>[K·C, 3, T, S, S]</c> row-major (view <c>k·C + c</c> is clip k,
/// crop c), <see cref="Shape"/> its five sizes, <see cref="FrameIndices"/> the source frame index of every frame of every clip
/// <c>[K][T]</c> (after wrapping past the end).
/// </summary>
/// <param name="Data">The values, <c>[K·C, 3, T, S, S]</c> flattened.</param>
/// <param name="Shape"><c>[K·C, 3, T, S, S]</c>.</param>
/// <param name="FrameIndices">Source frame indices <c>[K][T]</c>.</param>
public sealed record PreparedClips(float[] Data, long[] Shape, int[][] FrameIndices);

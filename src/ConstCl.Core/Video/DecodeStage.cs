namespace ConstCl.Video;

/// <summary>
/// One cumulative stage of decoding a whole video (see <see cref="DecodeStageProfiler"/>): the cost per frame of
/// running every stage up to and including this one, median over the timed passes.
/// </summary>
/// <param name="Name">Short name: <c>grab</c>, <c>retrieve</c>, <c>resize</c> or <c>rgb</c>.</param>
/// <param name="Description">What the stage adds to the previous one.</param>
/// <param name="Frames">Frames decoded per pass.</param>
/// <param name="CpuMillisecondsPerFrame">Process CPU time per frame, all stages so far.</param>
/// <param name="WallMillisecondsPerFrame">Wall-clock time per frame, all stages so far.</param>
public sealed record DecodeStage(string Name, string Description, int Frames, double CpuMillisecondsPerFrame, double WallMillisecondsPerFrame);

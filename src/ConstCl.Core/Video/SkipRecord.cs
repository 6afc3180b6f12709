namespace ConstCl.Video;

/// <summary>One video that failed and was skipped during a long job.</summary>
/// <param name="Path">The video path.</param>
/// <param name="Kind">Why it failed.</param>
/// <param name="Message">The full error message.</param>
/// <param name="TimeUtc">When it failed (UTC).</param>
public sealed record SkipRecord(string Path, VideoErrorKind Kind, string Message, DateTime TimeUtc);

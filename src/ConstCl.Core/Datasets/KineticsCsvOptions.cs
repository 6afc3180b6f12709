namespace ConstCl.Datasets;

/// <summary>How <see cref="KineticsCsv"/> maps CSV rows to files and which rows it keeps.</summary>
public sealed record KineticsCsvOptions
{
    /// <summary>The layout written by the official ActivityNet Kinetics downloader.</summary>
    public const string DefaultPathTemplate = "{split}/{label}/{youtube_id}_{time_start}_{time_end}.mp4";

    /// <summary>
    /// Relative path of a row's video under the video root. Placeholders: <c>{split}</c>, <c>{label}</c>,
    /// <c>{label_underscored}</c> (spaces replaced by '_'), <c>{youtube_id}</c>, <c>{time_start}</c> and
    /// <c>{time_end}</c> (whole seconds zero-padded to 6 digits, e.g. <c>000014</c>).
    /// Default: <see cref="DefaultPathTemplate"/>.
    /// </summary>
    public string PathTemplate { get; init; } = DefaultPathTemplate;

    /// <summary>
    /// Extensions tried, in order, when the templated file does not exist (downloads are often re-muxed);
    /// the templated path is what a missing row reports.
    /// </summary>
    public IReadOnlyList<string> AlternativeExtensions { get; init; } = [".mkv", ".webm"];

    /// <summary>Keep only rows whose <c>split</c> column equals this (case-insensitive), e.g. <c>train</c>; null keeps all.</summary>
    public string? Split { get; init; }

    /// <summary>Fixed class list (labels outside it are an error); null: the distinct labels in ordinal order.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }
}

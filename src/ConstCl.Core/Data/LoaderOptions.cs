using ConstCl.Augmentation;
using ConstCl.Video;

namespace ConstCl.Data;

/// <summary>
/// Settings of the pre-training data loader (<see cref="PrefetchingBatchSource"/>). Defaults are defined here once;
/// <see cref="Validate"/> names the first bad field. Immutable: derive variants with <c>with</c>.
/// </summary>
public sealed record LoaderOptions
{
    /// <summary>Frames per view <c>T</c> (the model preset's input frames; Paper: 16).</summary>
    public int Frames { get; init; } = 16;

    /// <summary>Temporal stride in source frames between the frames of a view (official 2).</summary>
    public int Stride { get; init; } = 2;

    /// <summary>
    /// Smallest start gap between the two views in source frames (default 0: the official CVRL sampling). Views far apart
    /// in time share less incidental content; see <see cref="ConstCl.Sampling.CvrlTemporalSampler"/>.
    /// </summary>
    public int MinimumViewGap { get; init; }

    /// <summary>Output frame size <c>H = W</c> of each view (the model preset's input size; Paper: 224).</summary>
    public int Size { get; init; } = 224;

    /// <summary>Videos per batch <c>B</c> (each yields two views).</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// Worker threads that decode and augment ahead of the training thread. They share the cores with libtorch's
    /// intra-op threads: on 2 cores use 1 (and give libtorch 2), see docs/data-loader.md.
    /// </summary>
    public int DecodeThreads { get; init; } = 1;

    /// <summary>How many batches may be prepared ahead of the one being consumed (the bounded queue's capacity).</summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>Seed of the whole stream: epoch order, sampling, augmentation, boxes and replacements.</summary>
    public int Seed { get; init; }

    /// <summary>Which boxes each view carries.</summary>
    public RegionProposerKind RegionProposer { get; init; } = RegionProposerKind.Random;

    /// <summary>Boxes per frame <c>N</c> (official random boxes: 8; SLIC/FH in the paper: 16).</summary>
    public int BoxesPerFrame { get; init; } = 8;

    /// <summary>The box CSV file read when <see cref="RegionProposer"/> is <see cref="RegionProposerKind.External"/>.</summary>
    public string? ExternalBoxesPath { get; init; }

    /// <summary>
    /// Augmentation settings; null means <see cref="AugmentationOptions.Official"/>. Its output size is always
    /// replaced by <see cref="Size"/>, and the default blur kernel follows the size (⌊Size/10⌋).
    /// </summary>
    public AugmentationOptions? Augmentation { get; init; }

    /// <summary>
    /// Short side frames are decoded to before the random resized crop; 0 (default) keeps the native size, as the
    /// official pipeline does (it crops the decoded frame). A value ≥ <see cref="Size"/> (e.g. ⌈1.15·Size⌉) saves
    /// decode and crop time on large videos at a small change of the crop's source resolution.
    /// </summary>
    public int DecodeShortSide { get; init; }

    /// <summary>Per-video decode time limit (see <see cref="VideoDecodeOptions.TimeLimit"/>).</summary>
    public TimeSpan DecodeTimeLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Folder of the decoded-frame cache (uint8 frames at the decode size, memory-mapped); null disables it.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Where the skip report (JSON lines, written atomically) goes; null keeps it in memory only.</summary>
    public string? SkipReportPath { get; init; }

    /// <summary>Tolerated fraction of videos that fail to decode before the run stops (default 5 %).</summary>
    public double FailureBudgetFraction { get; init; } = FailureBudget.DefaultFraction;

    /// <summary>How many videos are tried for one batch slot (the scheduled one plus replacements) before giving up.</summary>
    public int MaxReplacementAttempts { get; init; } = 8;

    /// <summary>The augmentation settings in effect: <see cref="Augmentation"/> with the output size set to <see cref="Size"/>.</summary>
    public AugmentationOptions EffectiveAugmentation =>
        (Augmentation ?? AugmentationOptions.Official) with { OutputHeight = Size, OutputWidth = Size };

    /// <summary>The decode options in effect.</summary>
    public VideoDecodeOptions DecodeOptions => new()
    {
        ShortSide = DecodeShortSide,
        TimeLimit = DecodeTimeLimit,
        EndPolicy = ClipEndPolicy.Wrap,
        DecoderThreads = 1,
    };

    /// <summary>Checks every field and throws an <see cref="ArgumentException"/> naming the first bad one.</summary>
    /// <returns>This instance.</returns>
    public LoaderOptions Validate()
    {
        Require(Frames is >= 1 and <= 1024, nameof(Frames), Frames, "Frames must be in 1..1024.");
        Require(Stride is >= 1 and <= 1024, nameof(Stride), Stride, "Stride must be in 1..1024 source frames.");
        Require(MinimumViewGap is >= 0 and <= 1_000_000, nameof(MinimumViewGap), MinimumViewGap, "MinimumViewGap must be in 0..1000000 source frames.");
        Require(Size is >= 8 and <= 4096, nameof(Size), Size, "Size must be in 8..4096 pixels.");
        Require(BatchSize is >= 1 and <= 65536, nameof(BatchSize), BatchSize, "BatchSize must be in 1..65536 videos.");
        Require(DecodeThreads is >= 1 and <= 256, nameof(DecodeThreads), DecodeThreads, "DecodeThreads must be in 1..256.");
        Require(PrefetchBatches is >= 1 and <= 1024, nameof(PrefetchBatches), PrefetchBatches, "PrefetchBatches must be in 1..1024.");
        Require(Enum.IsDefined(RegionProposer), nameof(RegionProposer), RegionProposer, "Unknown region proposer.");
        Require(BoxesPerFrame is >= 1 and <= 1024, nameof(BoxesPerFrame), BoxesPerFrame, "BoxesPerFrame must be in 1..1024.");
        if (RegionProposer == RegionProposerKind.External && string.IsNullOrWhiteSpace(ExternalBoxesPath))
        {
            throw new ArgumentException("ExternalBoxesPath must name the box CSV file when RegionProposer is External.", nameof(ExternalBoxesPath));
        }

        Require(DecodeShortSide == 0 || (DecodeShortSide >= Size && DecodeShortSide <= 8192), nameof(DecodeShortSide), DecodeShortSide,
            $"DecodeShortSide must be 0 (native size) or in Size..8192 (Size = {Size}): decoding smaller than the crop output only loses detail.");
        Require(DecodeTimeLimit == Timeout.InfiniteTimeSpan || DecodeTimeLimit > TimeSpan.Zero, nameof(DecodeTimeLimit), DecodeTimeLimit,
            "DecodeTimeLimit must be positive or Timeout.InfiniteTimeSpan.");
        Require(FailureBudgetFraction is >= 0 and <= 1, nameof(FailureBudgetFraction), FailureBudgetFraction, "FailureBudgetFraction must be in [0, 1].");
        Require(MaxReplacementAttempts is >= 1 and <= 1000, nameof(MaxReplacementAttempts), MaxReplacementAttempts, "MaxReplacementAttempts must be in 1..1000.");
        if (CacheDirectory is not null && string.IsNullOrWhiteSpace(CacheDirectory))
        {
            throw new ArgumentException("CacheDirectory must be null (no cache) or a folder path.", nameof(CacheDirectory));
        }

        if (SkipReportPath is not null && string.IsNullOrWhiteSpace(SkipReportPath))
        {
            throw new ArgumentException("SkipReportPath must be null (in memory) or a file path.", nameof(SkipReportPath));
        }

        try
        {
            EffectiveAugmentation.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Augmentation is invalid: {e.Message}", nameof(Augmentation), e);
        }

        return this;
    }

    private static void Require(bool ok, string name, object value, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, message);
        }
    }
}

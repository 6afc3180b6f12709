using ConstCl.Augmentation;
using ConstCl.Modeling;
using ConstCl.Training;

namespace QuickStart;

/// <summary>
/// Everything the quick start decides, in one place. The defaults are the configuration whose numbers README reports;
/// each can be changed from the command line (see <see cref="Program"/>).
/// </summary>
internal sealed record QuickStartSettings
{
    /// <summary>Seed of the dataset, the weights, the loader and the probe.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Motion classes of the synthetic dataset (8: the four directions, two rotations, grow and shrink).</summary>
    public int Classes { get; init; } = 8;

    /// <summary>Videos per class; a quarter of them form the test split.</summary>
    public int VideosPerClass { get; init; } = 48;

    /// <summary>Frames per synthetic video.</summary>
    public int VideoFrames { get; init; } = 32;

    /// <summary>Frame size of the synthetic videos (the Tiny preset's input size).</summary>
    public int Size { get; init; } = 64;

    /// <summary>
    /// Background drift of the synthetic videos (a camera pan unrelated to the class), as a fraction of the frame. 0 by
    /// default: a drift is a shortcut for the contrastive pairing (docs/datasets.md); set it to see the effect.
    /// </summary>
    public double BackgroundDrift { get; init; }

    /// <summary>The pre-training preset: <c>small</c> (default, the CPU preset that learns) or <c>tiny</c> (the official topology, narrow, with the CPU recipe).</summary>
    public string Preset { get; init; } = "small";

    /// <summary>
    /// The most steps a default run trains each encoder: two encoders of the small preset at 400 steps × 16 videos fit
    /// the quick start's 10-minute budget on 2 cores (about 8 minutes of pre-training since the backbone runs
    /// channels-last; the preset itself trains 600).
    /// </summary>
    public const int BudgetSteps = 400;

    /// <summary>Pre-training steps of each of the two pre-trained encoders; null uses the preset's, at most <see cref="BudgetSteps"/>.</summary>
    public int? Steps { get; init; }

    /// <summary>Videos per pre-training step; null uses the preset's.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Peak learning rate, used as given; null uses the preset's.</summary>
    public double? LearningRate { get; init; }

    /// <summary>What the network sees; null uses the preset's (small: frame differences).</summary>
    public InputMode? InputMode { get; init; }

    /// <summary>How the two views are flipped; null uses the preset's (small: alike, since left and right motions are different classes).</summary>
    public FlipMode? FlipMode { get; init; }

    /// <summary>Smallest start gap between the two views, in source frames; null uses the preset's.</summary>
    public int? MinimumViewGap { get; init; }

    /// <summary>ω, the local loss weight of the ConST-CL encoder (the CVRL encoder uses 0); null uses the preset's.</summary>
    public double? LocalWeight { get; init; }

    /// <summary>Evaluation clips per video (one centre crop each), averaged into the embedding.</summary>
    public int EvaluationClips { get; init; } = 4;

    /// <summary>libtorch intra-op threads (the loader adds one decode thread).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Which rows to compute: any of constcl, cvrl, random (chance is always printed).</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["constcl", "cvrl", "random"];

    /// <summary>
    /// The ConST-CL run these settings describe: the preset with every given override (the warm-up keeps the preset's
    /// share of the steps); checkpoints only at the end.
    /// </summary>
    public PretrainingOptions Training()
    {
        var basis = PretrainingOptions.ForPreset(Preset);
        var steps = Steps ?? Math.Min(basis.Steps, BudgetSteps);
        var scaled = basis.WithSteps(steps);
        var options = scaled with
        {
            WarmupSteps = Math.Max(1, scaled.WarmupSteps),
            BatchSize = BatchSize ?? basis.BatchSize,
            CheckpointEvery = steps,
            KeepCheckpoints = 1,
            LogEvery = 10,
            Threads = Threads,
            Seed = Seed,
            MinimumViewGap = MinimumViewGap ?? basis.MinimumViewGap,
            Objective = basis.Objective with { LocalWeight = LocalWeight ?? basis.Objective.LocalWeight },
            Augmentation = basis.Augmentation with { FlipMode = FlipMode ?? basis.Augmentation.FlipMode },
            Model = InputMode is { } mode ? basis.Model with { Backbone = basis.Model.Backbone with { InputMode = mode } } : basis.Model,
        };
        return LearningRate is { } peak ? options with { BaseLearningRate = peak, LearningRateScaling = LearningRateScaling.None } : options;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public QuickStartSettings Validate()
    {
        Require(Classes is >= 2 and <= ConstCl.Datasets.SyntheticActionsOptions.MaxClasses, nameof(Classes), $"2..{ConstCl.Datasets.SyntheticActionsOptions.MaxClasses}");
        Require(VideosPerClass >= 4, nameof(VideosPerClass), "at least 4 (three for training, one for testing)");
        Require(VideoFrames is >= 8 and <= 512, nameof(VideoFrames), "8..512");
        Require(Size is >= 32 and <= 256, nameof(Size), "32..256");
        Require(Preset is "small" or "tiny", nameof(Preset), "small or tiny");
        Require(Steps is null or >= 1, nameof(Steps), "at least 1");
        Require(BatchSize is null or >= 2, nameof(BatchSize), "at least 2 (the contrastive loss needs negatives)");
        Require(LearningRate is null or > 0, nameof(LearningRate), "> 0");
        Require(MinimumViewGap is null or >= 0, nameof(MinimumViewGap), "≥ 0");
        Require(LocalWeight is null or > 0, nameof(LocalWeight), "> 0 (0 is the CVRL row)");
        Require(BackgroundDrift is >= 0 and <= 0.25, nameof(BackgroundDrift), "0..0.25");
        Require(EvaluationClips >= 1, nameof(EvaluationClips), "at least 1");
        Require(Threads >= 1, nameof(Threads), "at least 1");
        string[] known = ["constcl", "cvrl", "random"];
        if (Variants.Count == 0 || Variants.Any(v => !known.Contains(v)))
        {
            throw new ArgumentException($"Variants must be a non-empty list of constcl, cvrl, random; got '{string.Join(",", Variants)}'.", nameof(Variants));
        }

        return this;
    }

    private static void Require(bool ok, string name, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"{name} must be {expected}.", name);
        }
    }
}

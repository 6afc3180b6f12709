using ConstCl.Augmentation;
using ConstCl.Modeling;

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

    /// <summary>Background drift of the synthetic videos (a camera pan unrelated to the class), as a fraction of the frame.</summary>
    public double BackgroundDrift { get; init; } = 0.08;

    /// <summary>Pre-training steps of each of the two pre-trained encoders.</summary>
    public int Steps { get; init; } = 250;

    /// <summary>Videos per pre-training step.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Peak learning rate of the SGD schedule (linear warm-up over the first 5 % of the steps, then cosine decay).</summary>
    public double LearningRate { get; init; } = 0.04;

    /// <summary>Augmentations of the two views (output size and flip mode are set from <see cref="Size"/> and <see cref="FlipMode"/>).</summary>
    public AugmentationOptions Augmentation { get; init; } = ColourOnly;

    /// <summary>
    /// The official crop and colour jitter / grayscale, without blur and solarize: at 64² the official blur (kernel 6,
    /// always on one view) erases the small moving object, and in sweeps here colour augmentation was what kept the
    /// encoder from matching views by colour.
    /// </summary>
    public static AugmentationOptions ColourOnly { get; } = AugmentationOptions.Official with
    {
        BlurProbabilityView1 = 0,
        BlurProbabilityView2 = 0,
        SolarizeProbabilityView1 = 0,
        SolarizeProbabilityView2 = 0,
    };

    /// <summary>What the network sees; frame differences by default (a departure from the paper, see README).</summary>
    public InputMode InputMode { get; init; } = InputMode.FrameDifference;

    /// <summary>How the two views are flipped: alike, because left and right motions are different classes.</summary>
    public FlipMode FlipMode { get; init; } = FlipMode.Shared;

    /// <summary>Smallest start gap between the two views, in source frames.</summary>
    public int MinimumViewGap { get; init; } = 8;

    /// <summary>ω, the local loss weight of the ConST-CL encoder (the CVRL encoder uses 0).</summary>
    public double LocalWeight { get; init; } = 0.01;

    /// <summary>Evaluation clips per video (one centre crop each), averaged into the embedding.</summary>
    public int EvaluationClips { get; init; } = 4;

    /// <summary>libtorch intra-op threads (the loader adds one decode thread).</summary>
    public int Threads { get; init; } = 2;

    /// <summary>Which rows to compute: any of constcl, cvrl, random (chance is always printed).</summary>
    public IReadOnlyList<string> Variants { get; init; } = ["constcl", "cvrl", "random"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public QuickStartSettings Validate()
    {
        Require(Classes is >= 2 and <= ConstCl.Datasets.SyntheticActionsOptions.MaxClasses, nameof(Classes), $"2..{ConstCl.Datasets.SyntheticActionsOptions.MaxClasses}");
        Require(VideosPerClass >= 4, nameof(VideosPerClass), "at least 4 (three for training, one for testing)");
        Require(VideoFrames is >= 8 and <= 512, nameof(VideoFrames), "8..512");
        Require(Size is >= 32 and <= 256, nameof(Size), "32..256");
        Require(Steps >= 1, nameof(Steps), "at least 1");
        Require(BatchSize >= 2, nameof(BatchSize), "at least 2 (the contrastive loss needs negatives)");
        Require(LearningRate > 0, nameof(LearningRate), "> 0");
        Require(MinimumViewGap >= 0, nameof(MinimumViewGap), "≥ 0");
        Require(LocalWeight > 0, nameof(LocalWeight), "> 0 (0 is the CVRL row)");
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

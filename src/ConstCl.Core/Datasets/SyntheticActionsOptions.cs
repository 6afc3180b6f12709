namespace ConstCl.Datasets;

/// <summary>Settings of the synthetic action dataset (<see cref="SyntheticActions"/>); validated once by <see cref="Validate"/>.</summary>
public sealed record SyntheticActionsOptions
{
    /// <summary>Largest supported number of classes (the number of <see cref="SyntheticMotion"/> values).</summary>
    public const int MaxClasses = 12;

    /// <summary>Number of classes, 2..12; class k is the k-th <see cref="SyntheticMotion"/>. Default 10.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>Videos per class (train and test together). Default 20.</summary>
    public int VideosPerClass { get; init; } = 20;

    /// <summary>Frames per video, 4..512. Default 16.</summary>
    public int Frames { get; init; } = 16;

    /// <summary>Frame width and height in pixels, 16..1024. Default 64.</summary>
    public int Size { get; init; } = 64;

    /// <summary>Seed; the same seed gives the same bytes. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>Fraction of each class's videos held out as the test split (the last ones by index), 0..1. Default 0.25.</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>
    /// Largest background drift over the whole clip, as a fraction of the frame size, in a random
    /// direction unrelated to the class; 0..0.25. Default 0 (off): a drift moves the background identically in both
    /// views of a video, so a contrastive encoder can match views by the camera pan instead of the action — a shortcut
    /// that let the loss fall while the probe got worse (docs/datasets.md). Turn it on only to test robustness to it.
    /// </summary>
    public double BackgroundDrift { get; init; }

    /// <summary>Frame rate written into video files and <see cref="ConstCl.Video.FrameSequence.FramesPerSecond"/>. Default 25.</summary>
    public double FramesPerSecond { get; init; } = 25;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Check(Classes is >= 2 and <= MaxClasses, nameof(Classes), Classes, $"2..{MaxClasses}");
        Check(VideosPerClass >= 1, nameof(VideosPerClass), VideosPerClass, "at least 1");
        Check(Frames is >= 4 and <= 512, nameof(Frames), Frames, "4..512");
        Check(Size is >= 16 and <= 1024, nameof(Size), Size, "16..1024");
        Check(TestFraction is >= 0 and <= 1, nameof(TestFraction), TestFraction, "0..1");
        Check(BackgroundDrift is >= 0 and <= 0.25, nameof(BackgroundDrift), BackgroundDrift, "0..0.25");
        Check(FramesPerSecond is > 0 and <= 1000, nameof(FramesPerSecond), FramesPerSecond, "0 < fps ≤ 1000");
    }

    private static void Check(bool ok, string name, object value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"SyntheticActionsOptions.{name} must be {expected}.");
        }
    }
}

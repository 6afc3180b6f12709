namespace ConstCl.Augmentation;

/// <summary>
/// Every probability and range of the two-view augmentation (spec §5.2). <see cref="Official"/> holds the
/// values of the official ConST-CL / CVRL pipeline; change a copy with <c>with { … }</c>.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>The official settings: 224² output, crop area 0.3–1 and aspect 0.5–2, flip 0.5 per view,
    /// SimCLR v2 colour jitter (p 0.8, 0.8/0.8/0.8/0.2), grayscale 0.2, blur 1.0 / 0.1, solarize 0 / 0.2, output in [−1, 1].</summary>
    public static AugmentationOptions Official { get; } = new();

    /// <summary>Output frame height (official 224).</summary>
    public int OutputHeight { get; init; } = 224;

    /// <summary>Output frame width (official 224).</summary>
    public int OutputWidth { get; init; } = 224;

    /// <summary>Smallest crop area as a fraction of the frame (official 0.3).</summary>
    public float CropAreaMin { get; init; } = 0.3f;

    /// <summary>Largest crop area as a fraction of the frame (official 1.0).</summary>
    public float CropAreaMax { get; init; } = 1.0f;

    /// <summary>Smallest crop aspect ratio w/h (official 0.5; drawn uniformly, not log-uniformly).</summary>
    public float CropAspectMin { get; init; } = 0.5f;

    /// <summary>Largest crop aspect ratio w/h (official 2.0).</summary>
    public float CropAspectMax { get; init; } = 2.0f;

    /// <summary>Attempts before falling back to the full frame (official 100).</summary>
    public int CropMaxAttempts { get; init; } = 100;

    /// <summary>Fraction of the whole frame a crop must cover (official 0.1; implied by <see cref="CropAreaMin"/> when that is larger).</summary>
    public float CropMinObjectCovered { get; init; } = 0.1f;

    /// <summary>Truncate the resized crop to uint8 levels as the official <c>tf.cast(…, uint8)</c> does (default true).</summary>
    public bool QuantizeAfterResize { get; init; } = true;

    /// <summary>How the views are flipped (official <see cref="ConstCl.Augmentation.FlipMode.Independent"/>).</summary>
    public FlipMode FlipMode { get; init; } = FlipMode.Independent;

    /// <summary>Probability of a horizontal flip (official 0.5).</summary>
    public double FlipProbability { get; init; } = 0.5;

    /// <summary>Probability of applying the colour jitter (official 0.8).</summary>
    public double ColorJitterProbability { get; init; } = 0.8;

    /// <summary>Brightness strength b: factor ~ U[max(1 − b, 0), 1 + b] (official 0.8).</summary>
    public float Brightness { get; init; } = 0.8f;

    /// <summary>Contrast strength c: factor ~ U[1 − c, 1 + c] (official 0.8).</summary>
    public float Contrast { get; init; } = 0.8f;

    /// <summary>Saturation strength s: factor ~ U[1 − s, 1 + s] (official 0.8).</summary>
    public float Saturation { get; init; } = 0.8f;

    /// <summary>Hue strength h: shift ~ U[−h, h] of the hue circle (official 0.2).</summary>
    public float Hue { get; init; } = 0.2f;

    /// <summary>Apply the four jitter operations in a random order (official true).</summary>
    public bool ColorJitterRandomOrder { get; init; } = true;

    /// <summary>Probability of grayscale after the jitter (official 0.2).</summary>
    public double GrayscaleProbability { get; init; } = 0.2;

    /// <summary>Blur probability for view 1 (official 1.0).</summary>
    public double BlurProbabilityView1 { get; init; } = 1.0;

    /// <summary>Blur probability for view 2 (official 0.1).</summary>
    public double BlurProbabilityView2 { get; init; } = 0.1;

    /// <summary>Smallest blur σ in pixels (official 0.1).</summary>
    public float BlurSigmaMin { get; init; } = 0.1f;

    /// <summary>Largest blur σ in pixels (official 2.0).</summary>
    public float BlurSigmaMax { get; init; } = 2.0f;

    /// <summary>Blur kernel size; null means <c>OutputHeight / 10</c> as the official (22 for 224, giving 23 taps).</summary>
    public int? BlurKernelSize { get; init; }

    /// <summary>Solarize probability for view 1 (official 0).</summary>
    public double SolarizeProbabilityView1 { get; init; }

    /// <summary>Solarize probability for view 2 (official 0.2).</summary>
    public double SolarizeProbabilityView2 { get; init; } = 0.2;

    /// <summary>Map the final clip from [0, 1] to [−1, 1] (official ConST-CL true; CVRL keeps [0, 1]).</summary>
    public bool ZeroCenter { get; init; } = true;

    /// <summary>The blur kernel size in effect.</summary>
    public int EffectiveBlurKernelSize => BlurKernelSize ?? (OutputHeight / 10);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Positive(OutputHeight, nameof(OutputHeight));
        Positive(OutputWidth, nameof(OutputWidth));
        if (!(CropAreaMin > 0 && CropAreaMin <= CropAreaMax && CropAreaMax <= 1))
        {
            throw new ArgumentException($"Crop area range must satisfy 0 < min ≤ max ≤ 1, got [{CropAreaMin}, {CropAreaMax}].", nameof(CropAreaMin));
        }

        if (!(CropAspectMin > 0 && CropAspectMin <= CropAspectMax && float.IsFinite(CropAspectMax)))
        {
            throw new ArgumentException($"Crop aspect range must satisfy 0 < min ≤ max, got [{CropAspectMin}, {CropAspectMax}].", nameof(CropAspectMin));
        }

        Positive(CropMaxAttempts, nameof(CropMaxAttempts));
        if (!(CropMinObjectCovered >= 0 && CropMinObjectCovered <= 1))
        {
            throw new ArgumentException($"CropMinObjectCovered must be in [0, 1], got {CropMinObjectCovered}.", nameof(CropMinObjectCovered));
        }

        Probability(FlipProbability, nameof(FlipProbability));
        Probability(ColorJitterProbability, nameof(ColorJitterProbability));
        Probability(GrayscaleProbability, nameof(GrayscaleProbability));
        Probability(BlurProbabilityView1, nameof(BlurProbabilityView1));
        Probability(BlurProbabilityView2, nameof(BlurProbabilityView2));
        Probability(SolarizeProbabilityView1, nameof(SolarizeProbabilityView1));
        Probability(SolarizeProbabilityView2, nameof(SolarizeProbabilityView2));
        NonNegative(Brightness, nameof(Brightness));
        NonNegative(Contrast, nameof(Contrast));
        NonNegative(Saturation, nameof(Saturation));
        if (!(Hue >= 0 && Hue <= 0.5f))
        {
            throw new ArgumentException($"Hue strength must be in [0, 0.5], got {Hue}.", nameof(Hue));
        }

        if (!(BlurSigmaMin > 0 && BlurSigmaMin <= BlurSigmaMax && float.IsFinite(BlurSigmaMax)))
        {
            throw new ArgumentException($"Blur sigma range must satisfy 0 < min ≤ max, got [{BlurSigmaMin}, {BlurSigmaMax}].", nameof(BlurSigmaMin));
        }

        if (EffectiveBlurKernelSize < 0)
        {
            throw new ArgumentException($"Blur kernel size must be non-negative, got {EffectiveBlurKernelSize}.", nameof(BlurKernelSize));
        }

        if (!Enum.IsDefined(FlipMode))
        {
            throw new ArgumentException($"Unknown flip mode {FlipMode}.", nameof(FlipMode));
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{name} must be positive, got {value}.", name);
        }
    }

    private static void NonNegative(float value, string name)
    {
        if (!(value >= 0) || !float.IsFinite(value))
        {
            throw new ArgumentException($"{name} must be finite and non-negative, got {value}.", name);
        }
    }

    private static void Probability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentException($"{name} must be a probability in [0, 1], got {value}.", name);
        }
    }
}

namespace ConstCl.Augmentation;

/// <summary>What was applied to one view (for diagnostics, tests and reproducing a sample).</summary>
/// <param name="Crop">Crop window in source pixels.</param>
/// <param name="Flipped">Whether the view was flipped horizontally.</param>
/// <param name="ColorJitter">Jitter parameters, or null when the jitter was skipped.</param>
/// <param name="Grayscale">Whether the view was turned gray.</param>
/// <param name="BlurSigma">Blur σ in pixels, or null when not blurred.</param>
/// <param name="Solarized">Whether the view was solarised.</param>
public sealed record ViewAugmentation(
    CropRect Crop,
    bool Flipped,
    ColorJitterParameters? ColorJitter,
    bool Grayscale,
    float? BlurSigma,
    bool Solarized);

namespace ConstCl.Augmentation;

/// <summary>The drawn parameters of one colour jitter, shared by every frame of a clip.</summary>
/// <param name="BrightnessFactor">Multiplier (1 = unchanged).</param>
/// <param name="ContrastFactor">Contrast factor (1 = unchanged).</param>
/// <param name="SaturationFactor">Saturation factor (1 = unchanged).</param>
/// <param name="HueDelta">Hue shift as a fraction of the hue circle (0 = unchanged).</param>
/// <param name="Order">The four operations in the order they are applied.</param>
public sealed record ColorJitterParameters(
    float BrightnessFactor,
    float ContrastFactor,
    float SaturationFactor,
    float HueDelta,
    IReadOnlyList<ColorJitterOperation> Order)
{
    /// <summary>The fixed order brightness, contrast, saturation, hue.</summary>
    public static IReadOnlyList<ColorJitterOperation> FixedOrder { get; } =
        [ColorJitterOperation.Brightness, ColorJitterOperation.Contrast, ColorJitterOperation.Saturation, ColorJitterOperation.Hue];
}

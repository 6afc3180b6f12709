namespace ConstCl.Augmentation;

/// <summary>The four SimCLR v2 colour-jitter operations.</summary>
public enum ColorJitterOperation
{
    /// <summary>Multiply by a factor.</summary>
    Brightness,

    /// <summary>(x − per-channel mean)·f + mean.</summary>
    Contrast,

    /// <summary>Scale HSV saturation.</summary>
    Saturation,

    /// <summary>Rotate HSV hue.</summary>
    Hue,
}

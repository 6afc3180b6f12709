namespace ConstCl.Augmentation;

/// <summary>Memory order of a clip copied out for the collator.</summary>
public enum ClipLayout
{
    /// <summary>Channels last, <c>[T, H, W, 3]</c> (the official TF layout).</summary>
    Thwc,

    /// <summary>Channels first, <c>[3, T, H, W]</c> (what <c>Conv3d</c> takes per sample).</summary>
    Cthw,
}

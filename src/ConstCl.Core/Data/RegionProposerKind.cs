namespace ConstCl.Data;

/// <summary>Which region boxes the loader attaches to each view (paper Table 7).</summary>
public enum RegionProposerKind
{
    /// <summary>Random boxes, drawn for the augmented frame (the paper's and the official code's default).</summary>
    Random,

    /// <summary>SLIC superpixel boxes, computed on the augmented frames.</summary>
    Slic,

    /// <summary>Felzenszwalb–Huttenlocher segment boxes, computed on the augmented frames.</summary>
    Felzenszwalb,

    /// <summary>Boxes read from a CSV file (<see cref="LoaderOptions.ExternalBoxesPath"/>) in source-frame coordinates, moved by the augmentation.</summary>
    External,
}

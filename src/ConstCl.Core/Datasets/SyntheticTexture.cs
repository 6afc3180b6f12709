namespace ConstCl.Datasets;

/// <summary>The pattern painted on a synthetic video's object; drawn independently of the motion class and the outline.</summary>
public enum SyntheticTexture
{
    /// <summary>One colour.</summary>
    Solid,

    /// <summary>Stripes of the object's two colours at a random angle and period.</summary>
    Stripes,

    /// <summary>A checkerboard of the object's two colours.</summary>
    Checker,

    /// <summary>Smooth value noise between the object's two colours.</summary>
    Noise,
}

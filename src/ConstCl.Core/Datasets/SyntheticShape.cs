namespace ConstCl.Datasets;

/// <summary>The outline of a synthetic video's object; drawn independently of the motion class.</summary>
public enum SyntheticShape
{
    /// <summary>An elongated rectangle.</summary>
    Rectangle,

    /// <summary>An ellipse.</summary>
    Ellipse,

    /// <summary>A triangle (centroid at the rotation centre).</summary>
    Triangle,

    /// <summary>A diamond (rhombus).</summary>
    Diamond,

    /// <summary>A plus-shaped cross.</summary>
    Cross,
}

namespace ConstCl.Modeling;

/// <summary>
/// Which frame of each view supplies the query boxes and centres the context memory (paper Table 4).
/// </summary>
public enum KeyFrameStrategy
{
    /// <summary>The middle input frame (<c>T / 2</c>) and feature slice <c>T′ / 2</c> of both views: the official code.</summary>
    Center,

    /// <summary>
    /// The temporally closest frame pair of the two views (from <see cref="ConstClModelInput.FrameTimesA"/> /
    /// <see cref="ConstClModelInput.FrameTimesB"/>): inside the overlap when the clips overlap, otherwise the two
    /// facing ends. Ties are broken towards the clip centres.
    /// </summary>
    Nearest,

    /// <summary>An independent uniformly random input frame per view and clip, drawn from a seeded generator.</summary>
    Random,
}

namespace ConstCl.Modeling;

/// <summary>What the backbone's stem sees of the input clip <c>[B, 3, T, H, W]</c>.</summary>
public enum InputMode
{
    /// <summary>The frames themselves, as in the paper and the official code (default).</summary>
    Rgb,

    /// <summary>
    /// Consecutive-frame differences <c>d[t] = x[t + 1] − x[t]</c> for <c>t &lt; T − 1</c> and <c>d[T − 1] = 0</c>, computed
    /// inside the network (so embedding, ONNX export and ML.NET see the same thing). Not in the paper: a departure that
    /// removes static appearance, so a small encoder trained for minutes must match views by their motion (see the quick start).
    /// </summary>
    FrameDifference,
}

namespace ConstCl.Export;

/// <summary>The input layout of an exported encoder.</summary>
public enum OnnxInputLayout
{
    /// <summary>
    /// One float input <c>[N, 3, T, H, W]</c> (N symbolic; T, H, W symbolic unless fixed in the options) and one
    /// output <c>[N, D]</c>: one embedding per clip. For plain ONNX Runtime serving.
    /// </summary>
    Clips,

    /// <summary>
    /// For ML.NET's <c>OnnxTransformer</c>: a flat float input <c>[1, L]</c> holding the K·C clips of ONE video
    /// (row-major <c>[K·C, 3, T, H, W]</c>, L = K·C·3·T·H·W symbolic) and an int64 input <c>[5]</c> holding that
    /// 5-D shape. The first node reshapes the clips; the per-clip features are averaged over the K·C clips and
    /// the output is <c>[1, D]</c> (one embedding per video).
    /// </summary>
    FlatClips,
}

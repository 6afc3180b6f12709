using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>Output row of the saved clip decoder (persistence plumbing; not meant to be used directly).</summary>
public sealed class VideoClipDecoderOutput
{
    /// <summary>The K·C clips of one video, row-major <c>[K·C, 3, T, S, S]</c> flattened, in [−1, 1] (no declared size).</summary>
    [ColumnName(SavedColumns.Clips)]
    public float[] Clips { get; set; } = [];

    /// <summary>The clip shape <c>[K·C, 3, T, S, S]</c>.</summary>
    [ColumnName(SavedColumns.Shape)]
    [VectorType(5)]
    public long[] ClipShape { get; set; } = new long[5];

    /// <summary>1 for a decoded video, 0 for a skipped one (the ONNX model multiplies the embedding by it).</summary>
    [ColumnName(SavedColumns.Weight)]
    [VectorType(1)]
    public float[] ClipWeight { get; set; } = new float[1];

    /// <summary>False when the video could not be decoded and was skipped.</summary>
    [ColumnName(ConstClDefaults.ValidColumnName)]
    public bool EmbeddingIsValid { get; set; }
}

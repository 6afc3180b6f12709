using System.Text.Json.Serialization;

namespace ConstCl.Embedding;

/// <summary>
/// One row of an <see cref="EmbeddingJob"/> (and of <c>constcl embed</c>'s output): a JSONL line of a part file, or a row of
/// the final JSONL, Parquet (columns named as the JSON properties) or ML.NET binary file (columns <c>VideoPath, Label,
/// Embedding, ClipFrameIndices, FramesPerClip, ClipSpec, EncoderHash</c>).
/// </summary>
public sealed class EmbeddingRow
{
    /// <summary>The video path as listed by the folder or manifest.</summary>
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    /// <summary>The class label when known.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    /// <summary>The L2-normalised embedding <c>[D]</c> (empty for a failed video in a part file).</summary>
    [JsonPropertyName("embedding")]
    public float[] Embedding { get; set; } = [];

    /// <summary>Source frame indices of every clip, clip after clip (<c>[K·T]</c>).</summary>
    [JsonPropertyName("clip_frame_indices")]
    public int[] ClipFrameIndices { get; set; } = [];

    /// <summary>T, frames per clip (to split <see cref="ClipFrameIndices"/>).</summary>
    [JsonPropertyName("frames_per_clip")]
    public int FramesPerClip { get; set; }

    /// <summary>The evaluation protocol, <c>EvaluationClipSpec.ToSpecString()</c> (a rerun with another protocol is refused).</summary>
    [JsonPropertyName("clip_spec")]
    public string ClipSpec { get; set; } = "";

    /// <summary>The encoder's <c>VideoEncoder.Hash</c>.</summary>
    [JsonPropertyName("encoder_hash")]
    public string EncoderHash { get; set; } = "";

    /// <summary>Why the video failed (part files and the failure report only); null for an embedded video.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; set; }
}

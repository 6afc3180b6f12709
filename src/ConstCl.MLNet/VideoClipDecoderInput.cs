using Microsoft.ML.Data;

namespace ConstCl.MLNet;

/// <summary>Input row of the saved clip decoder (persistence plumbing; not meant to be used directly).</summary>
public sealed class VideoClipDecoderInput
{
    /// <summary>The video path.</summary>
    [ColumnName(SavedColumns.Path)]
    public string VideoPath { get; set; } = "";

    /// <summary>The clip spec text (a constant column written by <c>Transforms.Expression</c>).</summary>
    [ColumnName(SavedColumns.Spec)]
    public string ClipSpec { get; set; } = "";
}

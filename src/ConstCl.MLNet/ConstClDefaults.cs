using ConstCl.Modeling;

namespace ConstCl.MLNet;

/// <summary>The default values of every ConstCl ML.NET option, defined once.</summary>
public static class ConstClDefaults
{
    /// <summary>Output column: the embedding, a known-size <c>float</c> vector.</summary>
    public const string OutputColumnName = "Embedding";

    /// <summary>Input column: the video path (text).</summary>
    public const string VideoPathColumnName = "VideoPath";

    /// <summary>The boolean column added when <see cref="ConstClEmbeddingSettings.SkipInvalidVideos"/> is on.</summary>
    public const string ValidColumnName = "EmbeddingIsValid";

    /// <summary>Embedding branch: the global res5.</summary>
    public const BackboneBranch Branch = BackboneBranch.Global;

    /// <summary>Default <see cref="ConstClEmbeddingSettings.Stage"/>: res5, the official embedding.</summary>
    public const BackboneStage Stage = BackboneStage.Res5;

    /// <summary>K, uniformly spaced temporal clips per video (CVRL's evaluation protocol uses 10; Core's <c>EvaluationClipSpec</c> default).</summary>
    public const int ClipCount = 10;

    /// <summary>C, spatial crops per clip (CVRL's evaluation protocol uses 3; Core's <c>EvaluationClipSpec</c> default).</summary>
    public const int CropCount = 3;

    /// <summary>s, temporal stride between the frames of a clip (Core's <c>EvaluationClipSpec</c> default).</summary>
    public const int FrameStride = 2;

    /// <summary>Clips (views) per TorchSharp forward pass (Core's <c>EmbeddingOptions.BatchSize</c> default).</summary>
    public const int BatchSize = 16;

    /// <summary>A video that cannot be decoded throws by default.</summary>
    public const bool SkipInvalidVideos = false;

    /// <summary>Embeddings are standardised per dimension on the data given to <c>Fit</c> by default.</summary>
    public const bool Standardize = true;
}

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

    /// <summary>K, uniformly spaced temporal clips per video (CVRL's evaluation protocol uses 10).</summary>
    public const int Clips = 10;

    /// <summary>C, spatial crops per clip (CVRL's evaluation protocol uses 3).</summary>
    public const int Crops = 3;

    /// <summary>Temporal stride between the frames of a clip.</summary>
    public const int Stride = 2;

    /// <summary>Videos per TorchSharp forward pass.</summary>
    public const int BatchSize = 4;

    /// <summary>A video that cannot be decoded throws by default.</summary>
    public const bool SkipInvalidVideos = false;

    /// <summary>Embeddings are standardised per dimension on the data given to <c>Fit</c> by default.</summary>
    public const bool Standardize = true;
}

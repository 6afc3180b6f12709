using ConstCl.Modeling;

namespace ConstCl.MLNet;

/// <summary>What the fitted embedding transformer does, shared by both estimators' options.</summary>
public abstract class ConstClEmbeddingSettings
{
    /// <summary>Name of the output column, a <c>float</c> vector of the encoder's size D. Default "Embedding".</summary>
    public string OutputColumnName { get; set; } = ConstClDefaults.OutputColumnName;

    /// <summary>Name of the input text column holding video paths. Default "VideoPath".</summary>
    public string VideoPathColumnName { get; set; } = ConstClDefaults.VideoPathColumnName;

    /// <summary>
    /// Base folder of relative video paths (as ML.NET's <c>LoadImages(imageFolder: …)</c>): a relative path of the column is
    /// combined with it, an absolute one is used as is. Null (default): paths are used as given (relative ones resolve
    /// against the working folder). Saved with the model as written, so a relative folder resolves where the model runs.
    /// </summary>
    public string? VideoFolder { get; set; }

    /// <summary>Which res5 branch gives the embedding: <see cref="BackboneBranch.Global"/> (default) or <see cref="BackboneBranch.Local"/>.</summary>
    public BackboneBranch Branch { get; set; } = ConstClDefaults.Branch;

    /// <summary>K: uniformly spaced clips per video. Default 10.</summary>
    public int Clips { get; set; } = ConstClDefaults.Clips;

    /// <summary>C: spatial crops per clip, 1 (centre) or 3 (both ends and centre of the long side). Default 3.</summary>
    public int Crops { get; set; } = ConstClDefaults.Crops;

    /// <summary>Frames per clip; null uses the encoder's training clip length.</summary>
    public int? Frames { get; set; }

    /// <summary>Square crop size in pixels (after resizing the short side to it); null uses the encoder's training size.</summary>
    public int? Size { get; set; }

    /// <summary>Temporal stride between the frames of a clip. Default 2.</summary>
    public int Stride { get; set; } = ConstClDefaults.Stride;

    /// <summary>Videos per forward pass in process (clips are decoded in parallel ahead of it). Default 4.</summary>
    public int BatchSize { get; set; } = ConstClDefaults.BatchSize;

    /// <summary>
    /// When true, a video that cannot be decoded yields a zero vector and <c>EmbeddingIsValid = false</c> (a
    /// boolean column added to the output); when false (default) it throws an error naming the video.
    /// </summary>
    public bool SkipInvalidVideos { get; set; } = ConstClDefaults.SkipInvalidVideos;

    /// <summary>
    /// When true (default), <c>Fit</c> embeds the videos of the data it is given and the transformer outputs each
    /// dimension standardised with their mean and standard deviation, <c>(e − mean) / std</c> (a dimension that is
    /// constant there gives 0); the numbers are saved with the model. ConST-CL embeddings are L2-normalised
    /// post-ReLU features whose pairwise cosines are close to 1, so an L2-regularised linear trainer fed them
    /// unstandardised (e.g. <c>LbfgsMaximumEntropy</c> with its defaults) tends to predict one class for every video.
    /// When false the output is the L2-normalised embedding and <c>EmbedVideos</c>' <c>Fit</c> reads no video.
    /// </summary>
    public bool Standardize { get; set; } = ConstClDefaults.Standardize;

    internal void ValidateSettings()
    {
        static void Require(bool ok, string name, object? value, string expected)
        {
            if (!ok)
            {
                throw new ArgumentOutOfRangeException(name, value, $"{name} must be {expected}.");
            }
        }

        Require(!string.IsNullOrWhiteSpace(OutputColumnName), nameof(OutputColumnName), OutputColumnName, "a column name");
        Require(!string.IsNullOrWhiteSpace(VideoPathColumnName), nameof(VideoPathColumnName), VideoPathColumnName, "a column name");
        Require(Enum.IsDefined(Branch), nameof(Branch), Branch, "Global or Local");
        Require(Clips >= 1, nameof(Clips), Clips, "at least 1");
        Require(Crops is 1 or 3, nameof(Crops), Crops, "1 or 3");
        Require(Frames is null or >= 1, nameof(Frames), Frames, "null or at least 1");
        Require(Size is null or >= 8, nameof(Size), Size, "null or at least 8");
        Require(Stride >= 1, nameof(Stride), Stride, "at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
    }

    internal SavedClipSpec ClipSpec(ConstClModelOptions model) =>
        new SavedClipSpec(Frames ?? model.InputFrames, Stride, Size ?? model.InputSize, Clips, Crops, SkipInvalidVideos, string.IsNullOrEmpty(VideoFolder) ? null : VideoFolder).Validate();

    internal TransformerSettings Snapshot(ConstClModelOptions model) =>
        new(OutputColumnName, VideoPathColumnName, Branch, ClipSpec(model), BatchSize);
}

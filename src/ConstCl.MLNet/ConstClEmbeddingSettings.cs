using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Video;

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

    /// <summary>
    /// Which backbone stage's output is pooled: <see cref="BackboneStage.Res5"/> (default, the branch's last stage) or an
    /// earlier one, whose narrower embedding the pre-training objective has shaped less (docs/evaluation.md, "Probing an
    /// earlier stage"). Saved with the model (the exported graph stops at that stage).
    /// </summary>
    public BackboneStage Stage { get; set; } = ConstClDefaults.Stage;

    // The evaluation protocol: the fields of Core's EvaluationClipSpec, under its names (Frames and Size default to the
    // encoder's pre-training clip); validated by EvaluationClipSpec.Validate, so ML.NET, the CLI and Core accept the same ranges.

    /// <summary>K: uniformly spaced clips per video (<see cref="EvaluationClipSpec.ClipCount"/>), at least 1. Default 10.</summary>
    public int ClipCount { get; set; } = ConstClDefaults.ClipCount;

    /// <summary>C: spatial crops per clip (<see cref="EvaluationClipSpec.CropCount"/>), 1 (centre) or 3 (both ends and centre of the long side). Default 3.</summary>
    public int CropCount { get; set; } = ConstClDefaults.CropCount;

    /// <summary>T: frames per clip (<see cref="EvaluationClipSpec.FramesPerClip"/>), at least 1; null uses the encoder's training clip length.</summary>
    public int? FramesPerClip { get; set; }

    /// <summary>s: temporal stride between the frames of a clip (<see cref="EvaluationClipSpec.FrameStride"/>), at least 1. Default 2.</summary>
    public int FrameStride { get; set; } = ConstClDefaults.FrameStride;

    /// <summary>S: square crop size in pixels after resizing the short side to it (<see cref="EvaluationClipSpec.Size"/>), 1 to 4096; null uses the encoder's training size.</summary>
    public int? Size { get; set; }

    /// <summary>
    /// How the short side reaches S (<see cref="EvaluationClipSpec.Resize"/>): <see cref="FrameResizeMode.Area"/> (default,
    /// as the CLI's <c>embed</c> and <c>probe</c>) decodes to short side S with an area filter, so 320×240 files reach 64²
    /// without aliasing; <see cref="FrameResizeMode.Linear"/> is CVRL's bilinear resize of the full-size frame. Saved with
    /// the model (models saved before this option read back as Linear, the protocol they were made with).
    /// </summary>
    public FrameResizeMode Resize { get; set; } = FrameResizeMode.Area;

    /// <summary>
    /// Clips (views) per TorchSharp forward pass in process, as <see cref="EmbeddingOptions.BatchSize"/> and the CLI's batch size:
    /// the views of several videos share a pass, and a streaming cursor looks ahead at most
    /// <c>max(1, BatchSize / (ClipCount · CropCount))</c> videos. At least 1. Default 16.
    /// </summary>
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
        Require(Enum.IsDefined(Stage), nameof(Stage), Stage, "Res2, Res3, Res4 or Res5");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");

        // The protocol is checked by its one validator; T and S stand in at 1 until the encoder is known.
        Protocol(framesPerClip: FramesPerClip ?? 1, size: Size ?? 1);
    }

    /// <summary>The protocol with the encoder's clip shape filling T and S where they are null (validated).</summary>
    internal EvaluationClipSpec ClipSpec(ConstClModelOptions model) =>
        Protocol(FramesPerClip ?? model.InputFrames, Size ?? model.InputSize);

    internal SavedClipSpec SavedSpec(ConstClModelOptions model) =>
        new(ClipSpec(model), SkipInvalidVideos, string.IsNullOrEmpty(VideoFolder) ? null : VideoFolder);

    internal TransformerSettings Snapshot(ConstClModelOptions model) =>
        new(OutputColumnName, VideoPathColumnName, Branch, Stage, SavedSpec(model), BatchSize);

    private EvaluationClipSpec Protocol(int framesPerClip, int size) =>
        new EvaluationClipSpec { ClipCount = ClipCount, CropCount = CropCount, FramesPerClip = framesPerClip, FrameStride = FrameStride, Size = size, Resize = Resize }.Validate();
}

using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Video;

namespace ConstCl.Cli.Commands;

/// <summary>
/// What <c>embed</c> or <c>probe</c> was asked to cut from each video (<see cref="ClipOptions"/>); null T and S stand for
/// the encoder's pre-training clip until <see cref="SpecFor"/> knows the model.
/// </summary>
internal sealed record ClipRequest(int Clips, int Crops, int? Frames, int Stride, int? Size, FrameResizeMode Resize)
{
    /// <summary>Core's protocol for <paramref name="model"/> (<see cref="EvaluationClipSpec.ForModel"/>, validated).</summary>
    public EvaluationClipSpec SpecFor(ConstClModelOptions model) => EvaluationClipSpec.ForModel(model, Clips, Crops, Frames, Stride, Size, Resize);
}

using System.Collections.Concurrent;
using ConstCl.Embedding;
using ConstCl.Video;
using Microsoft.ML.Transforms;

namespace ConstCl.MLNet;

/// <summary>
/// The clip decoder of a saved ConstCl model: a <c>CustomMapping</c> from (video path, clip spec) to the flat clips,
/// their shape and a validity weight, registered under the contract name <c>ConstCl.VideoClipDecoder.v1</c>. Register
/// it before loading a model: <c>mlContext.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly)</c>.
/// Thread-safe: ML.NET calls the mapping from several threads at once; it keeps no state but a parsed-spec cache.
/// </summary>
[CustomMappingFactoryAttribute(SavedColumns.DecoderContract)]
public sealed class VideoClipDecoderFactory : CustomMappingFactory<VideoClipDecoderInput, VideoClipDecoderOutput>
{
    private static readonly ConcurrentDictionary<string, SavedClipSpec> Specs = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override Action<VideoClipDecoderInput, VideoClipDecoderOutput> GetMapping() => Decode;

    internal static void Decode(VideoClipDecoderInput input, VideoClipDecoderOutput output)
    {
        var spec = Specs.GetOrAdd(input.ClipSpec ?? "", SavedClipSpec.Parse);
        try
        {
            var (data, shape) = EvaluationClips.Prepare(spec.Resolve(input.VideoPath ?? ""), spec.Clips);   // the cutting Core's engine does in process
            output.Clips = data;
            output.ClipShape = shape;
            output.ClipWeight = [1f];
            output.EmbeddingIsValid = true;
        }
        catch (Exception ex) when (spec.SkipInvalid && ex is VideoDecodeException or IOException or ArgumentException)
        {
            // One black clip keeps the ONNX input well-formed; weight 0 turns its embedding into the zero vector.
            output.Clips = new float[3 * spec.Clips.FramesPerClip * spec.Clips.Size * spec.Clips.Size];
            output.ClipShape = [1, 3, spec.Clips.FramesPerClip, spec.Clips.Size, spec.Clips.Size];
            output.ClipWeight = [0f];
            output.EmbeddingIsValid = false;
        }
        catch (Exception ex) when (ex is VideoDecodeException or IOException or ArgumentException)
        {
            throw new InvalidOperationException(EmbeddingErrors.CannotDecode(input.VideoPath ?? "", ex), ex);
        }
    }
}

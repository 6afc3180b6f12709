using ConstCl.Embedding;
using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>
/// The ONE clip preparation both embedding paths call (in-process TorchSharp and the saved <c>CustomMapping</c>
/// decoder), so they see the same pixels: forwards to <see cref="EvaluationClips.Prepare(string, ConstCl.Embedding.EvaluationClipSpec)"/>.
/// </summary>
internal static class EvaluationClipPreparer
{
    /// <summary>
    /// Decodes the K uniformly spaced clips of <paramref name="videoPath"/> (resolved against the spec's base folder)
    /// and cuts C square crops of each.
    /// </summary>
    /// <returns>Clips row-major <c>[K·C, 3, T, S, S]</c> in [−1, 1] and that shape.</returns>
    /// <exception cref="VideoDecodeException">The video cannot be read.</exception>
    public static (float[] Data, long[] Shape) Prepare(string videoPath, SavedClipSpec spec)
    {
        ArgumentNullException.ThrowIfNull(videoPath);
        ArgumentNullException.ThrowIfNull(spec);
        return EvaluationClips.Prepare(spec.Resolve(videoPath), spec.ToCore());
    }
}

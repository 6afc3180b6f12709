using ConstCl.Sampling;
using ConstCl.Video;

namespace ConstCl.MLNet;

/// <summary>
/// The ONE clip preparation both embedding paths call (in-process TorchSharp and the saved <c>CustomMapping</c>
/// decoder), so they see the same pixels. Adapter over feat/embed's <c>EvaluationClips.Prepare</c>: when that lands,
/// <see cref="Prepare"/> forwards to it.
/// </summary>
internal static class EvaluationClipPreparer
{
    /// <summary>
    /// Decodes the K uniformly spaced clips of <paramref name="videoPath"/> and cuts C square crops of each.
    /// </summary>
    /// <returns>Clips row-major <c>[K·C, 3, T, S, S]</c> in [−1, 1] and that shape.</returns>
    /// <exception cref="VideoDecodeException">The video cannot be read.</exception>
    public static (float[] Data, long[] Shape) Prepare(string videoPath, EvaluationClipSpec spec)
    {
        ArgumentNullException.ThrowIfNull(videoPath);
        ArgumentNullException.ThrowIfNull(spec);
        var decode = new VideoDecodeOptions { ShortSide = spec.Size };
        var length = VideoReader.Probe(videoPath, decode).HeaderFrameCount;
        if (length < 1)
        {
            // Containers without a frame count in the header: count by scanning.
            length = VideoReader.Scan(videoPath, decode).DecodableFrames;
        }

        var indices = new UniformClipSampler(spec.Clips, spec.Frames, spec.Stride).Sample(Math.Max(1, length));
        int t = spec.Frames, s = spec.Size;
        var data = new float[spec.ClipsPerVideo * 3 * t * s * s];
        var clipLength = 3 * t * s * s;
        for (var k = 0; k < indices.Length; k++)
        {
            var frames = VideoReader.ReadClip(videoPath, indices[k], decode);
            int w = frames.Width, h = frames.Height;
            if (Math.Min(w, h) < s)
            {
                throw new VideoDecodeException(VideoErrorKind.Unreadable, videoPath, $"frames are {w}×{h}, smaller than the clip size {s}");
            }

            for (var c = 0; c < spec.Crops; c++)
            {
                // Crops along the long side: centre for C = 1; start, centre, end for C = 3 (CVRL's 3-crop protocol).
                var position = spec.Crops == 1 ? 1 : c;
                var x0 = w > h ? (w - s) * position / 2 : (w - s) / 2;
                var y0 = h > w ? (h - s) * position / 2 : (h - s) / 2;
                var offset = (k * spec.Crops + c) * clipLength;
                for (var f = 0; f < t; f++)
                {
                    var rgb = frames.Frames[f];
                    for (var y = 0; y < s; y++)
                    {
                        var row = ((y0 + y) * w + x0) * 3;
                        for (var x = 0; x < s; x++)
                        {
                            var p = row + x * 3;
                            var o = offset + (f * s + y) * s + x;             // [3, T, S, S] channel-first
                            data[o] = rgb[p] * (2f / 255f) - 1f;
                            data[o + t * s * s] = rgb[p + 1] * (2f / 255f) - 1f;
                            data[o + 2 * t * s * s] = rgb[p + 2] * (2f / 255f) - 1f;
                        }
                    }
                }
            }
        }

        return (data, [spec.ClipsPerVideo, 3, t, s, s]);
    }
}

using ConstCl.Sampling;
using ConstCl.Video;

namespace ConstCl.Embedding;

/// <summary>
/// Cuts the evaluation views of a video (<see cref="EvaluationClipSpec"/>): K linearly spaced clips (<see cref="UniformClipSampler"/>)
/// × C crops, short side resized to S (bilinear, half-pixel centres, edge-clamped; or first by an area filter, as the spec's
/// <see cref="EvaluationClipSpec.Resize"/> says) and S×S crops, values mapped to the model's range,
/// laid out <c>[K·C, 3, T, S, S]</c>. The one preparation shared by the TorchSharp embedder, the ONNX/ML.NET path and the examples.
/// Pure and thread-safe: every call opens its own decoder and allocates its own buffers.
/// </summary>
public static class EvaluationClips
{
    /// <summary>Decodes <paramref name="videoPath"/> and returns its views <c>[K·C, 3, T, S, S]</c> (flattened) and that shape.</summary>
    /// <param name="videoPath">A video file or frame folder (anything <see cref="VideoReader.Open"/> reads).</param>
    /// <param name="spec">The protocol.</param>
    /// <exception cref="VideoDecodeException">The video cannot be decoded (the exception names it).</exception>
    public static (float[] Data, long[] Shape) Prepare(string videoPath, EvaluationClipSpec spec)
    {
        var prepared = PrepareWithIndices(videoPath, spec);
        return (prepared.Data, prepared.Shape);
    }

    /// <summary>As <see cref="Prepare(string, EvaluationClipSpec)"/> for frames already in memory (synthetic videos); frame i is position i.</summary>
    /// <param name="video">The whole video, RGB24 frames.</param>
    /// <param name="spec">The protocol.</param>
    public static (float[] Data, long[] Shape) Prepare(FrameSequence video, EvaluationClipSpec spec)
    {
        var prepared = PrepareWithIndices(video, spec);
        return (prepared.Data, prepared.Shape);
    }

    /// <summary>As <see cref="Prepare(string, EvaluationClipSpec)"/>, also returning the frame indices of every clip.</summary>
    /// <param name="videoPath">A video file or frame folder.</param>
    /// <param name="spec">The protocol.</param>
    /// <param name="decode">Decode options (null: defaults, native size; the resize to S happens here). With
    /// <see cref="FrameResizeMode.Area"/> in the spec its <see cref="VideoDecodeOptions.ShortSide"/> and
    /// <see cref="VideoDecodeOptions.ResizeMode"/> are replaced by S and area.</param>
    public static PreparedClips PrepareWithIndices(string videoPath, EvaluationClipSpec spec, VideoDecodeOptions? decode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(videoPath);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        decode ??= VideoDecodeOptions.Default;
        if (spec.Resize == FrameResizeMode.Area)
        {
            decode = decode with { ShortSide = spec.Size, ResizeMode = FrameResizeMode.Area };
        }

        using var source = VideoReader.Open(videoPath, decode);
        int length = source.CountFrames();
        if (length <= 0)
        {
            throw new VideoDecodeException(VideoErrorKind.Unreadable, videoPath, "no frame decodes.");
        }

        var clips = new UniformClipSampler(spec.ClipCount, spec.FramesPerClip, spec.FrameStride).Sample(length);
        int[] unique = UniqueFrames(clips);
        var position = PositionsOf(unique);
        return Build(source.ReadFrames(unique), clips, c => position[c], spec);
    }

    /// <summary>As <see cref="Prepare(FrameSequence, EvaluationClipSpec)"/>, also returning the frame positions of every clip.</summary>
    /// <param name="video">The whole video.</param>
    /// <param name="spec">The protocol.</param>
    public static PreparedClips PrepareWithIndices(FrameSequence video, EvaluationClipSpec spec)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (video.Count == 0)
        {
            throw new ArgumentException("The frame sequence is empty; at least one frame is needed.", nameof(video));
        }

        var clips = new UniformClipSampler(spec.ClipCount, spec.FramesPerClip, spec.FrameStride).Sample(video.Count);
        if (spec.Resize == FrameResizeMode.Linear)
        {
            return Build(video, clips, c => c, spec);
        }

        // Area: only the frames the clips use, resized as decoding a file at ShortSide = S resizes them.
        int[] unique = UniqueFrames(clips);
        var needed = new FrameSequence(unique.Select(i => video.Frames[i]).ToArray(), video.Width, video.Height, unique.Select(i => video.FrameIndices[i]).ToArray(), video.FramesPerSecond);
        var position = PositionsOf(unique);
        return Build(ShortSideResize.Apply(needed, spec.Size, FrameResizeMode.Area), clips, c => position[c], spec);
    }

    /// <summary>The distinct frame indices the clips use, ascending.</summary>
    private static int[] UniqueFrames(int[][] clips) => clips.SelectMany(c => c).Distinct().Order().ToArray();

    /// <summary>Frame index → its position in <paramref name="unique"/>.</summary>
    private static Dictionary<int, int> PositionsOf(int[] unique)
    {
        var position = new Dictionary<int, int>(unique.Length);
        for (int i = 0; i < unique.Length; i++)
        {
            position[unique[i]] = i;
        }

        return position;
    }

    /// <summary>
    /// The crop windows in the resized frame, as <c>(x0, y0)</c> of each of the C crops, and the resized size.
    /// Short side → S (long side <c>round(long·S/short)</c>, at least S); crops at the start, centre (<c>(L − S)/2</c>) and end of the long side.
    /// </summary>
    internal static ((int X, int Y)[] Offsets, int ResizedWidth, int ResizedHeight) CropWindows(int width, int height, int size, int crops)
    {
        int rw, rh;
        if (width <= height)
        {
            rw = size;
            rh = Math.Max(size, (int)Math.Round((double)height * size / width, MidpointRounding.AwayFromZero));
        }
        else
        {
            rh = size;
            rw = Math.Max(size, (int)Math.Round((double)width * size / height, MidpointRounding.AwayFromZero));
        }

        bool landscape = rw > rh;
        int slack = landscape ? rw - size : rh - size;
        int[] along = crops == 1 ? [slack / 2] : [0, slack / 2, slack];
        var offsets = along.Select(a => landscape ? (a, 0) : (0, a)).ToArray();
        return (offsets, rw, rh);
    }

    private static PreparedClips Build(FrameSequence frames, int[][] clips, Func<int, int> positionOf, EvaluationClipSpec spec)
    {
        int s = spec.Size;
        int t = spec.FramesPerClip;
        int k = clips.Length;
        int c = spec.CropCount;
        var (offsets, rw, rh) = CropWindows(frames.Width, frames.Height, s, c);
        var resamplers = offsets.Select(o => BilinearResampler.ResizeThenWindow(frames.Width, frames.Height, rw, rh, o.X, o.Y, s, s)).ToArray();
        float scale = spec.ZeroCenter ? 2f / 255f : 1f / 255f;
        float offset = spec.ZeroCenter ? -1f : 0f;
        long plane = (long)s * s;
        long viewLength = 3L * t * plane;
        var data = new float[checked(k * c * viewLength)];
        var window = new float[plane * 3];   // [y, x, ch] of one crop
        for (int clip = 0; clip < k; clip++)
        {
            for (int f = 0; f < t; f++)
            {
                byte[] src = frames.Frames[positionOf(clips[clip][f])];
                for (int crop = 0; crop < c; crop++)
                {
                    resamplers[crop].Resample<byte>(src, frames.Width, window);
                    long viewBase = ((long)clip * c + crop) * viewLength;
                    for (long pixel = 0; pixel < plane; pixel++)
                    {
                        for (int ch = 0; ch < 3; ch++)
                        {
                            data[viewBase + (((long)ch * t + f) * plane) + pixel] = (window[(pixel * 3) + ch] * scale) + offset;   // [view, ch, f, y, x]
                        }
                    }
                }
            }
        }

        var indices = clips.Select(cl => cl.Select(i => frames.FrameIndices[positionOf(i)]).ToArray()).ToArray();
        return new PreparedClips(data, [k * c, 3, t, s, s], indices);
    }
}

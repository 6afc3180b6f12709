using System.Numerics;

namespace ConstCl.Video;

/// <summary>
/// The one bilinear resampler of interleaved RGB frames (half-pixel centres, no antialiasing), used by
/// <c>Augmentation.RandomResizedCrop</c> and <c>Embedding.EvaluationClips</c>. Per output pixel it computes
/// <c>top = l + (r − l)·lx</c> on the two source rows, <c>bottom</c> likewise, then <c>top + (bottom − top)·ly</c>: TF's
/// <c>resize_bilinear</c> float operations in that order. Horizontally interpolated source rows are cached (consecutive
/// output rows share them) and the vertical step is vectorised.
/// The two callers place their taps differently (<see cref="CropThenResize"/>, <see cref="ResizeThenWindow"/>); the
/// taps are computed once per clip and shared by its frames. Not thread-safe: one instance per call.
/// </summary>
internal sealed class BilinearResampler
{
    private readonly int[] _yLower;
    private readonly int[] _yUpper;
    private readonly float[] _yLerp;
    private readonly int[] _xLower;   // byte offsets in a source row: pixel·3
    private readonly int[] _xUpper;
    private readonly float[] _xLerp;
    private readonly float[] _rowCache;   // two horizontally interpolated rows, reused across frames

    private BilinearResampler(int outHeight, int outWidth)
    {
        _yLower = new int[outHeight];
        _yUpper = new int[outHeight];
        _yLerp = new float[outHeight];
        _xLower = new int[outWidth];
        _xUpper = new int[outWidth];
        _xLerp = new float[outWidth];
        _rowCache = new float[2 * outWidth * 3];
    }

    /// <summary>Output height.</summary>
    public int OutputHeight => _yLower.Length;

    /// <summary>Output width.</summary>
    public int OutputWidth => _xLower.Length;

    /// <summary>
    /// Cut the window <c>(x, y, width, height)</c> from the source, then resize it to <c>outHeight × outWidth</c>, with taps
    /// computed as TF's <c>compute_interpolation_weights</c> (HalfPixelScaler, in float): <c>p = (i + ½)·(in/out) − ½</c>,
    /// lower/upper clamped to the window, <c>lerp = p − ⌊p⌋</c>.
    /// </summary>
    public static BilinearResampler CropThenResize(int x, int y, int width, int height, int outHeight, int outWidth)
    {
        var resampler = new BilinearResampler(outHeight, outWidth);
        FillFloat(height, outHeight, resampler._yLower, resampler._yUpper, resampler._yLerp, y, 1);
        FillFloat(width, outWidth, resampler._xLower, resampler._xUpper, resampler._xLerp, x, 3);
        return resampler;
    }

    /// <summary>
    /// Resize the whole <c>sourceWidth × sourceHeight</c> frame to <c>resizedWidth × resizedHeight</c>, then take the
    /// <c>outWidth × outHeight</c> window at <c>(x0, y0)</c> of the resized frame, with taps computed in double
    /// (OpenCV <c>INTER_LINEAR</c> placement): <c>p = (i + ½)·(source/resized) − ½</c> clamped to the frame; ratio 1 copies pixels exactly.
    /// </summary>
    public static BilinearResampler ResizeThenWindow(int sourceWidth, int sourceHeight, int resizedWidth, int resizedHeight, int x0, int y0, int outWidth, int outHeight)
    {
        var resampler = new BilinearResampler(outHeight, outWidth);
        FillDouble(sourceHeight, resizedHeight, y0, resampler._yLower, resampler._yUpper, resampler._yLerp, 1);
        FillDouble(sourceWidth, resizedWidth, x0, resampler._xLower, resampler._xUpper, resampler._xLerp, 3);
        return resampler;
    }

    /// <summary>Resamples one frame into <c>[OutputHeight, OutputWidth, 3]</c> interpolated values (no scaling).</summary>
    /// <param name="source">The frame, interleaved RGB, <paramref name="sourceWidth"/> pixels a row.</param>
    /// <param name="sourceWidth">Source width in pixels.</param>
    /// <param name="destination">Output, at least <c>OutputHeight·OutputWidth·3</c> values.</param>
    public void Resample<T>(ReadOnlySpan<T> source, int sourceWidth, Span<float> destination)
        where T : unmanaged, INumberBase<T> =>
        Resample(source, sourceWidth, destination, levelScale: 1f, levelEpsilon: 0f, unitScale: 1f, quantize: false);

    /// <summary>
    /// Resamples one frame into <c>[OutputHeight, OutputWidth, 3]</c>, each value then either multiplied by
    /// <paramref name="unitScale"/> or, with <paramref name="quantize"/>, truncated to a uint8 level
    /// <c>k = trunc(clamp(v·levelScale + levelEpsilon, 0, 255))</c> and written as <c>k / 255</c>.
    /// </summary>
    /// <param name="source">The frame, interleaved RGB, <paramref name="sourceWidth"/> pixels a row.</param>
    /// <param name="sourceWidth">Source width in pixels.</param>
    /// <param name="destination">Output, at least <c>OutputHeight·OutputWidth·3</c> values.</param>
    /// <param name="levelScale">Source value → level scale before truncation (255 for [0, 1] input, 1 for bytes).</param>
    /// <param name="levelEpsilon">Added before truncation, to absorb float error.</param>
    /// <param name="unitScale">Scale applied when not quantising.</param>
    /// <param name="quantize">Truncate to uint8 levels (tf.cast float → uint8).</param>
    public unsafe void Resample<T>(ReadOnlySpan<T> source, int sourceWidth, Span<float> destination, float levelScale, float levelEpsilon, float unitScale, bool quantize)
        where T : unmanaged, INumberBase<T>
    {
        int outW = OutputWidth;
        int outH = OutputHeight;
        int rowLength = outW * 3;
        if (destination.Length < (long)outH * rowLength)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values; {outH}×{outW}×3 are needed.", nameof(destination));
        }

        int srcRow = sourceWidth * 3;
        int id0 = -1;
        int id1 = -1;
        fixed (T* s = source)
        fixed (float* d = destination)
        fixed (float* cache = _rowCache)
        fixed (int* xLower = _xLower)
        fixed (int* xUpper = _xUpper)
        fixed (float* xLerp = _xLerp)
        {
            float* slot0 = cache;
            float* slot1 = cache + rowLength;
            for (int y = 0; y < outH; y++)
            {
                int y0 = _yLower[y];
                int y1 = _yUpper[y];
                float* top = CachedRow(s, srcRow, y0, y1, slot0, slot1, ref id0, ref id1, xLower, xUpper, xLerp, outW);
                float* bottom = CachedRow(s, srcRow, y1, y0, slot0, slot1, ref id0, ref id1, xLower, xUpper, xLerp, outW);
                Vertical(top, bottom, _yLerp[y], d + ((long)y * rowLength), rowLength, levelScale, levelEpsilon, unitScale, quantize);
            }
        }
    }

    // Source row `row` interpolated horizontally: from whichever slot holds it, else computed into the slot that does not
    // hold `keep` (the other row of the current output row).
    private static unsafe float* CachedRow<T>(T* source, int sourceRowLength, int row, int keep, float* slot0, float* slot1, ref int id0, ref int id1, int* xLower, int* xUpper, float* xLerp, int outW)
        where T : unmanaged, INumberBase<T>
    {
        if (id0 == row)
        {
            return slot0;
        }

        if (id1 == row)
        {
            return slot1;
        }

        bool useSlot1 = id0 == keep;
        float* slot = useSlot1 ? slot1 : slot0;
        Horizontal(source + ((long)row * sourceRowLength), slot, xLower, xUpper, xLerp, outW);
        if (useSlot1)
        {
            id1 = row;
        }
        else
        {
            id0 = row;
        }

        return slot;
    }

    private static unsafe void Horizontal<T>(T* row, float* output, int* xLower, int* xUpper, float* xLerp, int outW)
        where T : unmanaged, INumberBase<T>
    {
        for (int x = 0; x < outW; x++)
        {
            T* left = row + xLower[x];
            T* right = row + xUpper[x];
            float lx = xLerp[x];
            float* o = output + (x * 3);
            for (int c = 0; c < 3; c++)
            {
                float l = float.CreateTruncating(left[c]);
                float r = float.CreateTruncating(right[c]);
                o[c] = l + ((r - l) * lx);
            }
        }
    }

    private static unsafe void Vertical(float* top, float* bottom, float ly, float* output, int length, float levelScale, float levelEpsilon, float unitScale, bool quantize)
    {
        int width = Vector<float>.Count;
        int i = 0;
        var vly = new Vector<float>(ly);
        var vScale = new Vector<float>(levelScale);
        var vEps = new Vector<float>(levelEpsilon);
        var vMax = new Vector<float>(255f);
        var vUnit = new Vector<float>(unitScale);
        for (; i + width <= length; i += width)
        {
            var t = Vector.Load(top + i);
            var b = Vector.Load(bottom + i);
            Vector<float> v = t + ((b - t) * vly);
            if (quantize)
            {
                // tf.cast(float → uint8) truncates toward zero; level k becomes k / 255.
                Vector<float> level = Vector.Min(Vector.Max((v * vScale) + vEps, Vector<float>.Zero), vMax);
                v = Vector.ConvertToSingle(Vector.ConvertToInt32(level)) / vMax;
            }
            else
            {
                v *= vUnit;
            }

            v.Store(output + i);
        }

        for (; i < length; i++)
        {
            float t = top[i];
            float v = t + ((bottom[i] - t) * ly);
            if (quantize)
            {
                float level = (v * levelScale) + levelEpsilon;
                int k = level <= 0f ? 0 : level >= 255f ? 255 : (int)level;
                output[i] = k / 255f;
            }
            else
            {
                output[i] = v * unitScale;
            }
        }
    }

    // TF compute_interpolation_weights with HalfPixelScaler: in = (i + 0.5)·scale − 0.5, in float.
    private static void FillFloat(int inSize, int outSize, int[] lower, int[] upper, float[] lerp, int start, int multiplier)
    {
        float scale = inSize / (float)outSize;
        for (int i = 0; i < outSize; i++)
        {
            float position = ((i + 0.5f) * scale) - 0.5f;
            float floor = MathF.Floor(position);
            int lo = Math.Max((int)floor, 0);
            int hi = Math.Min((int)MathF.Ceiling(position), inSize - 1);
            lower[i] = (start + lo) * multiplier;
            upper[i] = (start + hi) * multiplier;
            lerp[i] = position - floor;
        }
    }

    // Output pixels start..start+count−1 of an axis resized from source to resized, in double, clamped at the edges.
    private static void FillDouble(int source, int resized, int start, int[] lower, int[] upper, float[] lerp, int multiplier)
    {
        double ratio = (double)source / resized;
        for (int i = 0; i < lower.Length; i++)
        {
            double p = ((start + i + 0.5) * ratio) - 0.5;
            p = Math.Clamp(p, 0, source - 1);
            int l = (int)Math.Floor(p);
            lower[i] = l * multiplier;
            upper[i] = Math.Min(l + 1, source - 1) * multiplier;
            lerp[i] = (float)(p - l);
        }
    }
}

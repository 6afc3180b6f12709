using ConstCl.Video;

namespace ConstCl.Augmentation;

/// <summary>
/// Random resized crop as the official <c>preprocess_ops_3d.random_crop_resize</c>: the window comes from
/// TF's <c>sample_distorted_bounding_box</c> (uniform aspect, uniform integer height, up to 100 attempts,
/// full frame as fallback), is shared by every frame, and is resized with bilinear interpolation at
/// half-pixel centres without antialiasing (<c>tf.image.resize</c>), then truncated to uint8 levels.
/// Boxes are moved, scaled and clipped in the same call.
/// </summary>
public static class RandomResizedCrop
{
    /// <summary>
    /// Draws a crop window exactly as TF's <c>sample_distorted_bounding_box</c> with the whole frame as the
    /// only bounding box (so <c>min_object_covered</c> asks for crop area ≥ that fraction of the frame).
    /// </summary>
    /// <param name="width">Source frame width.</param>
    /// <param name="height">Source frame height.</param>
    /// <param name="random">The generator.</param>
    /// <param name="options">Area, aspect, attempts and coverage settings; null means <see cref="AugmentationOptions.Official"/>.</param>
    public static CropRect SampleCrop(int width, int height, Random random, AugmentationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        options ??= AugmentationOptions.Official;
        options.Validate();
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"Frame size must be positive, got {width}×{height}.");
        }

        float minArea = options.CropAreaMin * width * height;
        float maxArea = options.CropAreaMax * width * height;
        for (int attempt = 0; attempt < options.CropMaxAttempts; attempt++)
        {
            float aspect = (random.NextSingle() * (options.CropAspectMax - options.CropAspectMin)) + options.CropAspectMin;
            if (TryGenerateCrop(width, height, minArea, maxArea, aspect, random, out CropRect crop)
                && SatisfiesCoverage(crop, width, height, options.CropMinObjectCovered))
            {
                return crop;
            }
        }

        return new CropRect(0, 0, width, height);
    }

    /// <summary>Crops every frame to <paramref name="crop"/> and resizes it; boxes follow.</summary>
    /// <param name="clip">Source clip <c>[T, H, W, 3]</c> in [0, 1].</param>
    /// <param name="crop">Window in source pixels.</param>
    /// <param name="outputHeight">Output height.</param>
    /// <param name="outputWidth">Output width.</param>
    /// <param name="boxes">Optional normalised (x1, y1, x2, y2) quadruples in the source frame.</param>
    /// <param name="quantize">Truncate to uint8 levels after resizing (official).</param>
    /// <returns>The new clip <c>[T, outputHeight, outputWidth, 3]</c> and the boxes in its frame (null when none were given).</returns>
    public static (Clip Clip, float[]? Boxes) Apply(Clip clip, CropRect crop, int outputHeight, int outputWidth, float[]? boxes = null, bool quantize = true)
    {
        ArgumentNullException.ThrowIfNull(clip);
        crop.Validate(clip.Width, clip.Height, nameof(crop));
        CheckOutput(outputHeight, outputWidth);
        BoxQuads.Validate(boxes, nameof(boxes));

        var output = new Clip(clip.Frames, outputHeight, outputWidth);
        var resampler = Resampler(crop, outputHeight, outputWidth);
        for (int t = 0; t < clip.Frames; t++)
        {
            // Float input: interpolate in [0, 1]; quantise as floor(255·v) with a tolerance for float error.
            resampler.Resample<float>(clip.Frame(t), clip.Width, output.Frame(t), levelScale: 255f, levelEpsilon: 1e-3f, unitScale: 1f, quantize);
        }

        return (output, boxes is null ? null : TransformBoxes(boxes, crop, clip.Width, clip.Height));
    }

    /// <summary>Crops and resizes uint8 frames directly (the official path: crop before conversion to float); boxes follow.</summary>
    /// <param name="frames">RGB24 frames.</param>
    /// <param name="positions">Positions in <paramref name="frames"/> forming the clip, one per output frame.</param>
    /// <param name="crop">Window in source pixels.</param>
    /// <param name="outputHeight">Output height.</param>
    /// <param name="outputWidth">Output width.</param>
    /// <param name="boxes">Optional normalised (x1, y1, x2, y2) quadruples in the source frame.</param>
    /// <param name="quantize">Truncate to uint8 levels after resizing (official).</param>
    /// <returns>The clip <c>[T, outputHeight, outputWidth, 3]</c> in [0, 1] and the boxes in its frame.</returns>
    public static (Clip Clip, float[]? Boxes) Apply(FrameSequence frames, IReadOnlyList<int> positions, CropRect crop, int outputHeight, int outputWidth, float[]? boxes = null, bool quantize = true)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.Count == 0)
        {
            throw new ArgumentException("At least one frame position is required.", nameof(positions));
        }

        crop.Validate(frames.Width, frames.Height, nameof(crop));
        CheckOutput(outputHeight, outputWidth);
        BoxQuads.Validate(boxes, nameof(boxes));

        var output = new Clip(positions.Count, outputHeight, outputWidth);
        var resampler = Resampler(crop, outputHeight, outputWidth);
        for (int t = 0; t < positions.Count; t++)
        {
            int p = positions[t];
            if ((uint)p >= (uint)frames.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(positions), $"Position {p} is outside the sequence of {frames.Count} frames.");
            }

            // uint8 input: interpolate in 0..255 as TF does, truncate exactly, then divide by 255.
            resampler.Resample<byte>(frames.Frames[p], frames.Width, output.Frame(t), levelScale: 1f, levelEpsilon: 0f, unitScale: 1f / 255f, quantize);
        }

        return (output, boxes is null ? null : TransformBoxes(boxes, crop, frames.Width, frames.Height));
    }

    /// <summary>Draws a window with <see cref="SampleCrop"/>, then crops and resizes.</summary>
    /// <param name="clip">Source clip in [0, 1].</param>
    /// <param name="random">The generator.</param>
    /// <param name="options">Output size and crop settings; null means <see cref="AugmentationOptions.Official"/>.</param>
    /// <param name="boxes">Optional normalised (x1, y1, x2, y2) quadruples in the source frame.</param>
    public static (Clip Clip, float[]? Boxes, CropRect Crop) Apply(Clip clip, Random random, AugmentationOptions? options = null, float[]? boxes = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        options ??= AugmentationOptions.Official;
        CropRect crop = SampleCrop(clip.Width, clip.Height, random, options);
        var (output, moved) = Apply(clip, crop, options.OutputHeight, options.OutputWidth, boxes, options.QuantizeAfterResize);
        return (output, moved, crop);
    }

    /// <summary>
    /// One attempt of TF's <c>GenerateRandomCrop</c>, float for float: height uniform in
    /// [round(√(minArea/a)), round(√(maxArea/a))] after clamping so round(h·a) ≤ W and h ≤ H;
    /// width round(h·a); one ±1 nudge of the height for rounding; then a uniform position.
    /// </summary>
    internal static bool TryGenerateCrop(int originalWidth, int originalHeight, float minArea, float maxArea, float aspect, Random random, out CropRect crop)
    {
        crop = default;
        if (maxArea <= 0 || aspect <= 0 || minArea > maxArea)
        {
            return false;
        }

        int height = RoundToInt(MathF.Sqrt(minArea / aspect));
        int maxHeight = RoundToInt(MathF.Sqrt(maxArea / aspect));
        if (RoundToInt(maxHeight * aspect) > originalWidth)
        {
            // Largest max_height with round(max_height·aspect) ≤ width (the kernel does this in double).
            const float kEps = 0.0000001f;
            maxHeight = (int)((originalWidth + 0.5 - kEps) / aspect);
            if (RoundToInt(maxHeight * aspect) > originalWidth)
            {
                maxHeight -= 1;
            }
        }

        if (maxHeight > originalHeight)
        {
            maxHeight = originalHeight;
        }

        if (height >= maxHeight)
        {
            height = maxHeight;
        }

        if (height < maxHeight)
        {
            height += random.Next(maxHeight - height + 1);
        }

        int width = RoundToInt(height * aspect);
        float area = width * height;
        if (area < minArea)
        {
            height += 1;
            width = RoundToInt(height * aspect);
            area = width * height;
        }

        if (area > maxArea)
        {
            height -= 1;
            width = RoundToInt(height * aspect);
            area = width * height;
        }

        if (area < minArea || area > maxArea || width > originalWidth || height > originalHeight || width <= 0 || height <= 0)
        {
            return false;
        }

        int y = height < originalHeight ? random.Next(originalHeight - height) : 0;
        int x = width < originalWidth ? random.Next(originalWidth - width) : 0;
        crop = new CropRect(x, y, width, height);
        return true;
    }

    /// <summary>TF's overlap test against the one bounding box, the whole frame: crop area / frame area ≥ min covered.</summary>
    internal static bool SatisfiesCoverage(CropRect crop, int width, int height, float minObjectCovered)
    {
        if (crop.Area < 1)
        {
            return false;
        }

        float covered = (float)crop.Area / ((float)width * height);
        return covered >= minObjectCovered;
    }

    /// <summary>Closed form for boxes: <c>x' = clamp((x·W − X) / w, 0, 1)</c>, <c>y' = clamp((y·H − Y) / h, 0, 1)</c>.</summary>
    internal static float[] TransformBoxes(float[] boxes, CropRect crop, int sourceWidth, int sourceHeight)
    {
        var result = new float[boxes.Length];
        for (int i = 0; i < boxes.Length; i += 4)
        {
            result[i] = Map(boxes[i], sourceWidth, crop.X, crop.Width);
            result[i + 1] = Map(boxes[i + 1], sourceHeight, crop.Y, crop.Height);
            result[i + 2] = Map(boxes[i + 2], sourceWidth, crop.X, crop.Width);
            result[i + 3] = Map(boxes[i + 3], sourceHeight, crop.Y, crop.Height);
        }

        return result;

        static float Map(float v, int size, int start, int length) =>
            (float)Math.Clamp(((v * (double)size) - start) / length, 0.0, 1.0);
    }

    // lrintf under the default rounding mode: round half to even.
    private static int RoundToInt(float v) => (int)MathF.Round(v, MidpointRounding.ToEven);

    // TF's bilinear resize of the crop (half-pixel centres, float taps, no antialiasing); the taps are shared by all frames.
    private static BilinearResampler Resampler(CropRect crop, int outputHeight, int outputWidth) =>
        BilinearResampler.CropThenResize(crop.X, crop.Y, crop.Width, crop.Height, outputHeight, outputWidth);

    private static void CheckOutput(int outputHeight, int outputWidth)
    {
        if (outputHeight <= 0 || outputWidth <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outputHeight), $"Output size must be positive, got {outputWidth}×{outputHeight}.");
        }
    }
}

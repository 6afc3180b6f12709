namespace ConstCl.Sampling;

/// <summary>
/// CVRL temporal-interval sampling of two views, exactly as the official
/// <c>video_ssl_preprocess_ops.sample_ssl_sequence</c> (spec §5.1): the start gap δ between the views
/// follows the linearly decreasing density <c>p(k) = (2/M)(1 − k/M)</c>, found by integer bisection on
/// its CDF; the two offsets are shuffled; frames past the end wrap around.
/// </summary>
public sealed class CvrlTemporalSampler
{
    /// <summary>Creates a sampler for clips of <paramref name="framesPerClip"/> frames taken every <paramref name="stride"/> frames.</summary>
    /// <param name="framesPerClip">Frames per view (official 16).</param>
    /// <param name="stride">Temporal stride in source frames (official 2).</param>
    /// <param name="minimumGap">
    /// Smallest start gap δ between the views, in source frames (official 0). When positive, δ = g + the official draw over
    /// <c>M − g</c> offsets, with <c>g = min(minimumGap, M − 1)</c>: the same decreasing density, shifted to start at g.
    /// Short videos (shorter than a view) ignore it. Not in the paper or the official code.
    /// </param>
    public CvrlTemporalSampler(int framesPerClip = 16, int stride = 2, int minimumGap = 0)
    {
        if (framesPerClip <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(framesPerClip), $"Frames per clip must be positive, got {framesPerClip}.");
        }

        if (stride <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), $"Stride must be positive, got {stride}.");
        }

        if (minimumGap < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumGap), $"The minimum gap must be ≥ 0 source frames, got {minimumGap}.");
        }

        FramesPerClip = framesPerClip;
        Stride = stride;
        MinimumGap = minimumGap;
    }

    /// <summary>Frames per view.</summary>
    public int FramesPerClip { get; }

    /// <summary>Temporal stride in source frames.</summary>
    public int Stride { get; }

    /// <summary>Smallest start gap between the two views in source frames (0: official CVRL sampling).</summary>
    public int MinimumGap { get; }

    /// <summary>Source frames one view spans from its first to its last frame, <c>(T − 1)·stride</c>.</summary>
    public int ClipSpan => (FramesPerClip - 1) * Stride;

    /// <summary>Samples the two views of a video with <paramref name="videoLength"/> frames.</summary>
    /// <param name="videoLength">Number of decodable frames (positive).</param>
    /// <param name="random">The generator every draw comes from.</param>
    /// <returns>Both views' frame indices, offsets and the drawn gap.</returns>
    public ViewPair Sample(int videoLength, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (videoLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(videoLength), $"Video length must be positive, got {videoLength}.");
        }

        int maxOffset = MaxOffset(videoLength, ClipSpan);
        bool isShort = maxOffset == videoLength;

        // Same draw order as the official graph: u, then the offsets, then the shuffle.
        float u = random.NextSingle();
        int floor = isShort ? 0 : Math.Min(MinimumGap, maxOffset - 1);
        int delta = floor + SampleGap(maxOffset - floor, u);

        int choice1;
        int choice2;
        if (isShort)
        {
            choice1 = random.Next(maxOffset);
            choice2 = random.Next(maxOffset);
        }
        else
        {
            choice1 = random.Next(maxOffset - delta);
            choice2 = choice1 + delta;
        }

        // tf.random.shuffle of the pair: which view starts first is random.
        if (random.Next(2) == 1)
        {
            (choice1, choice2) = (choice2, choice1);
        }

        return new ViewPair(
            ClipIndices.Build(choice1, FramesPerClip, Stride, videoLength),
            ClipIndices.Build(choice2, FramesPerClip, Stride, videoLength),
            choice1,
            choice2,
            delta,
            isShort,
            videoLength);
    }

    /// <summary><c>M = Lv − span</c> when the video is longer than the span, else <c>Lv</c> (official "max_offset").</summary>
    internal static int MaxOffset(int videoLength, int span) => videoLength > span ? videoLength - span : videoLength;

    /// <summary>
    /// The official integer bisection for the inverse of <c>cdf(k) = 2k/M − k²/M²</c>, in float32 as the
    /// TF graph computes it. Returns <c>⌊M(1 − √(1 − u))⌋</c> (the discrete inverse CDF), in <c>[0, M − 1]</c>.
    /// </summary>
    /// <param name="maxOffset">M, positive.</param>
    /// <param name="u">A uniform draw in [0, 1).</param>
    internal static int SampleGap(int maxOffset, float u)
    {
        if (maxOffset <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxOffset), $"Max offset must be positive, got {maxOffset}.");
        }

        float m = maxOffset;
        float kLow = 0f;
        float kUp = m;
        float k = MathF.Floor(m / 2f);
        while (MathF.Abs(kUp - kLow) > 1f)
        {
            if (Cdf(k, m) > u)
            {
                kUp = k;
                k = MathF.Floor((k + kLow) / 2f);
            }
            else
            {
                kLow = k;
                k = MathF.Floor((kUp + k) / 2f);
            }
        }

        return (int)k;
    }

    /// <summary>
    /// Probability that <see cref="SampleGap"/> returns <paramref name="k"/> for a uniform u: the official
    /// density integrated over [k, k+1), <c>cdf(k+1) − cdf(k) = (2/M)(1 − (k + ½)/M)</c>.
    /// </summary>
    internal static double GapProbability(int k, int maxOffset)
    {
        if (k < 0 || k >= maxOffset)
        {
            return 0;
        }

        double m = maxOffset;
        return (2.0 / m) * (1.0 - (k + 0.5) / m);
    }

    // power = 1 form of the official cdf: −k²/M² + 2k/M, evaluated in float32.
    private static float Cdf(float k, float m) => (-(k * k) / (m * m)) + (k * 2f / m);
}

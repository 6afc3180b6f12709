using ConstCl.Video;

namespace ConstCl.Regions;

/// <summary>
/// Random boxes, the paper's default (spec §3.1): for every frame and box, independently,
/// <c>x1, y1 ~ U[0,1)</c>, <c>w ~ U[0.1,0.5)</c>, <c>aspect ~ U[0.5,2)</c>, <c>h = w·aspect</c>,
/// <c>x2 = min(x1 + w, 1 − 1e-3)</c>, <c>y2 = min(y1 + h, 1 − 1e-3)</c>. Draw order per box:
/// x1, y1, w, aspect. As in the official code, the boxes ignore the pixels, every box is valid,
/// and a corner beyond 0.999 gives an inverted side (x2 &lt; x1, probability 1e-3 per axis);
/// <see cref="RegionBox.Clip"/> collapses it. With <see cref="RandomRegionOptions.TensorFlowSeedQuirk"/>
/// one uniform <c>U</c> per box drives all four quantities (spec §3.2).
/// </summary>
public sealed class RandomRegionProposer : IRegionProposer
{
    /// <summary>Upper clip of <c>x2</c> and <c>y2</c> in the official code (<c>1 − 1e-3</c>).</summary>
    public const float MaxCoordinate = 1f - 1e-3f;

    private readonly RandomRegionOptions _options;

    /// <summary>Creates the proposer.</summary>
    /// <param name="options">Options; null means the official defaults (8 boxes, independent draws).</param>
    public RandomRegionProposer(RandomRegionOptions? options = null)
    {
        _options = options ?? new RandomRegionOptions();
        _options.Validate();
    }

    /// <inheritdoc/>
    public int BoxesPerFrame => _options.BoxesPerFrame;

    /// <summary>The options in use.</summary>
    public RandomRegionOptions Options => _options;

    /// <inheritdoc/>
    public RegionProposals Propose(FrameSequence clip, Random random, string? videoKey = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Propose(clip.Count, random);
    }

    /// <summary>Proposes boxes for <paramref name="frameCount"/> frames without looking at pixels.</summary>
    /// <param name="frameCount">Number of frames <c>T</c>.</param>
    /// <param name="random">The generator (explicit, never shared static state).</param>
    /// <returns>Boxes <c>[T][N]</c>, all valid.</returns>
    /// <exception cref="ArgumentOutOfRangeException">frameCount is negative.</exception>
    public RegionProposals Propose(int frameCount, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        int n = _options.BoxesPerFrame;
        var boxes = new RegionBox[frameCount][];
        var valid = new bool[frameCount][];
        for (int t = 0; t < frameCount; t++)
        {
            boxes[t] = new RegionBox[n];
            valid[t] = new bool[n];
            Array.Fill(valid[t], true);
            for (int i = 0; i < n; i++)
            {
                boxes[t][i] = _options.TensorFlowSeedQuirk ? QuirkBox(random) : IndependentBox(random);
            }
        }

        return new RegionProposals(boxes, valid);
    }

    private static RegionBox IndependentBox(Random random)
    {
        float x1 = Uniform01(random);
        float y1 = Uniform01(random);
        float w = 0.1f + 0.4f * Uniform01(random);
        float aspect = 0.5f + 1.5f * Uniform01(random);
        return Make(x1, y1, w, w * aspect);
    }

    private static RegionBox QuirkBox(Random random)
    {
        float u = Uniform01(random);
        float w = 0.1f + 0.4f * u;
        float aspect = 0.5f + 1.5f * u;
        return Make(u, u, w, w * aspect);
    }

    private static RegionBox Make(float x1, float y1, float w, float h) =>
        new(x1, y1, MathF.Min(x1 + w, MaxCoordinate), MathF.Min(y1 + h, MaxCoordinate));

    // NextDouble() can round up to 1f when narrowed; keep the official half-open U[0,1).
    private static float Uniform01(Random random) => MathF.Min((float)random.NextDouble(), MathF.BitDecrement(1f));
}

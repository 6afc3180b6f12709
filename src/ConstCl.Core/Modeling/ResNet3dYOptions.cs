namespace ConstCl.Modeling;

/// <summary>
/// Shape of the R3D-50 "Y" backbone (CVRL configuration, spec §1): a stem, four bottleneck stages res2..res5 and a
/// second, independently parameterised res5 (<c>res5_local</c>) fed by res4. Defaults are the official values.
/// </summary>
public sealed record ResNet3dYOptions
{
    /// <summary>Input colour channels (3).</summary>
    public int InputChannels { get; init; } = 3;

    /// <summary>What the stem sees: the frames (<see cref="InputMode.Rgb"/>, official) or their consecutive differences.</summary>
    public InputMode InputMode { get; init; } = InputMode.Rgb;

    /// <summary>
    /// With <see cref="InputMode.FrameDifference"/>: differences smaller than this in magnitude become 0 and larger ones
    /// shrink towards 0 by it (<c>d → sign(d)·max(|d| − t, 0)</c>), in the units the network is fed (the default −1..1
    /// input range makes 1 level of 255 equal to 2/255). It removes the low-amplitude noise that lossy codecs add to
    /// static pixels and keeps motion edges larger than t (docs/training.md, "Compressed sources": it did not help beyond
    /// the noise in the harness and costs on lossless videos). 0 (default, and the only
    /// value <see cref="InputMode.Rgb"/> accepts) keeps differences as they are.
    /// </summary>
    public double FrameDifferenceDeadZone { get; init; }

    /// <summary>Output channels of the stem convolution (64).</summary>
    public int StemChannels { get; init; } = 64;

    /// <summary>Stem convolution kernel (T, H, W) = (5, 7, 7).</summary>
    public IReadOnlyList<int> StemKernel { get; init; } = [5, 7, 7];

    /// <summary>Stem convolution stride (T, H, W) = (2, 2, 2).</summary>
    public IReadOnlyList<int> StemStride { get; init; } = [2, 2, 2];

    /// <summary>Whether the stem ends with its max-pool (official: true). The <see cref="ConstClModelOptions.Small"/> preset drops it.</summary>
    public bool StemMaxPool { get; init; } = true;

    /// <summary>Stem max-pool kernel (T, H, W) = (1, 3, 3).</summary>
    public IReadOnlyList<int> StemPoolKernel { get; init; } = [1, 3, 3];

    /// <summary>Stem max-pool stride (T, H, W) = (1, 2, 2).</summary>
    public IReadOnlyList<int> StemPoolStride { get; init; } = [1, 2, 2];

    /// <summary>Residual block of every stage (official: <see cref="BlockKind.Bottleneck"/>).</summary>
    public BlockKind Block { get; init; } = BlockKind.Bottleneck;

    /// <summary>
    /// Zero-initialise γ of the BatchNorm that ends each residual branch, so every block starts as the identity and a
    /// deep network trains like a shallow one at first (Goyal et al. 2017). Official: false (spec §1: γ = 1 everywhere).
    /// </summary>
    public bool ZeroInitResidual { get; init; }

    /// <summary>Blocks per stage res2..res5 = [3, 4, 6, 3].</summary>
    public IReadOnlyList<int> StageBlocks { get; init; } = [3, 4, 6, 3];

    /// <summary>Bottleneck widths f per stage res2..res5 = [64, 128, 256, 512]; a block outputs <c>f · Expansion</c> channels.</summary>
    public IReadOnlyList<int> StageWidths { get; init; } = [64, 128, 256, 512];

    /// <summary>Channel expansion of the last 1×1×1 conv of each bottleneck (4); must be 1 for <see cref="BlockKind.Basic"/>.</summary>
    public int Expansion { get; init; } = 4;

    /// <summary>Spatial stride of the first block of res2..res5 = [1, 2, 2, 2].</summary>
    public IReadOnlyList<int> StageSpatialStrides { get; init; } = [1, 2, 2, 2];

    /// <summary>
    /// Temporal stride of the first block of res2..res5; official [1, 1, 1, 1]. Strides above 1 need
    /// <see cref="BlockKind.Basic"/> blocks.
    /// </summary>
    public IReadOnlyList<int> StageTemporalStrides { get; init; } = [1, 1, 1, 1];

    /// <summary>
    /// Temporal kernel of each block's first conv (both convs of a basic block), per stage: res2 (1,1,1), res3 (1,1,1,1), res4 (3,3,3,3,3,3),
    /// res5 (3,3,3). Each inner list must have <see cref="StageBlocks"/> entries.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> TemporalKernels { get; init; } =
        [[1, 1, 1], [1, 1, 1, 1], [3, 3, 3, 3, 3, 3], [3, 3, 3]];

    /// <summary>BatchNorm momentum in PyTorch convention (0.1 = Keras 0.9).</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>BatchNorm epsilon (1e-5).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>Padding of convolutions and the stem pool; see <see cref="ConvPaddingMode"/>.</summary>
    public ConvPaddingMode Padding { get; init; } = ConvPaddingMode.Symmetric;

    /// <summary>Channels of res5 and res5_local: <c>StageWidths[3] · Expansion</c> (2048).</summary>
    public int OutputChannels => StageWidths[^1] * Expansion;

    /// <summary>Channels of one stage's output, <c>StageWidths[stage − 2] · Expansion</c> (Paper: 256, 512, 1024, 2048).</summary>
    /// <param name="stage">res2..res5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stage"/> is not a defined stage.</exception>
    public int StageOutputChannels(BackboneStage stage) =>
        StageWidths[(int)BackboneStageCheck.Defined(stage) - (int)BackboneStage.Res2] * Expansion;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public void Validate()
    {
        Positive(InputChannels, nameof(InputChannels));
        Positive(StemChannels, nameof(StemChannels));
        Positive(Expansion, nameof(Expansion));
        Triple(StemKernel, nameof(StemKernel), odd: true);
        Triple(StemStride, nameof(StemStride));
        Triple(StemPoolKernel, nameof(StemPoolKernel), odd: true);
        Triple(StemPoolStride, nameof(StemPoolStride));
        Four(StageBlocks, nameof(StageBlocks));
        Four(StageWidths, nameof(StageWidths));
        Four(StageSpatialStrides, nameof(StageSpatialStrides));
        Four(StageTemporalStrides, nameof(StageTemporalStrides));
        if (!Enum.IsDefined(Block))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(Block)} is not a known block: {Block}.", nameof(Block));
        }

        if (Block == BlockKind.Basic && Expansion != 1)
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(Expansion)} must be 1 with {nameof(BlockKind)}.{nameof(BlockKind.Basic)} blocks (they do not expand channels); got {Expansion}.", nameof(Expansion));
        }

        if (Block == BlockKind.Bottleneck && StageTemporalStrides.Any(s => s != 1))
        {
            throw new ArgumentException(
                $"{nameof(ResNet3dYOptions)}.{nameof(StageTemporalStrides)} must be [1,1,1,1] with {nameof(BlockKind)}.{nameof(BlockKind.Bottleneck)} blocks (as the official R3D-50); got [{string.Join(",", StageTemporalStrides)}]. Use {nameof(BlockKind)}.{nameof(BlockKind.Basic)} for temporal strides.",
                nameof(StageTemporalStrides));
        }
        if (TemporalKernels is null || TemporalKernels.Count != 4)
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(TemporalKernels)} must hold 4 lists (res2..res5).", nameof(TemporalKernels));
        }

        for (var s = 0; s < 4; s++)
        {
            var k = TemporalKernels[s];
            if (k is null || k.Count != StageBlocks[s] || k.Any(v => v <= 0 || v % 2 == 0))
            {
                throw new ArgumentException(
                    $"{nameof(ResNet3dYOptions)}.{nameof(TemporalKernels)}[{s}] (res{s + 2}) must list {StageBlocks[s]} odd positive kernels, one per block; got [{(k is null ? "null" : string.Join(",", k))}].",
                    nameof(TemporalKernels));
            }
        }

        if (!(BatchNormMomentum > 0 && BatchNormMomentum <= 1))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(BatchNormMomentum)} must be in (0, 1] (PyTorch convention); got {BatchNormMomentum}.", nameof(BatchNormMomentum));
        }

        if (!(BatchNormEpsilon > 0))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(BatchNormEpsilon)} must be > 0; got {BatchNormEpsilon}.", nameof(BatchNormEpsilon));
        }

        if (!Enum.IsDefined(InputMode))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(InputMode)} is not a known mode: {InputMode}.", nameof(InputMode));
        }

        if (!(FrameDifferenceDeadZone >= 0 && FrameDifferenceDeadZone < 2))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(FrameDifferenceDeadZone)} must be in [0, 2) (input units; 2/255 per level at the −1..1 range); got {FrameDifferenceDeadZone}.", nameof(FrameDifferenceDeadZone));
        }

        if (FrameDifferenceDeadZone > 0 && InputMode != InputMode.FrameDifference)
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(FrameDifferenceDeadZone)} applies to frame differences only; it must be 0 with {nameof(InputMode)} = {InputMode}; got {FrameDifferenceDeadZone}.", nameof(FrameDifferenceDeadZone));
        }

        if (!Enum.IsDefined(Padding))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{nameof(Padding)} is not a known mode: {Padding}.", nameof(Padding));
        }
    }

    /// <summary>Output (T′, H′, W′) of res5 for an input clip of <paramref name="frames"/>×<paramref name="height"/>×<paramref name="width"/>.</summary>
    public (int T, int H, int W) FeatureShape(int frames, int height, int width)
    {
        int[] size = [frames, height, width];
        for (var d = 0; d < 3; d++)
        {
            size[d] = OutSize(size[d], StemKernel[d], StemStride[d]);
            if (StemMaxPool)
            {
                size[d] = OutSize(size[d], StemPoolKernel[d], StemPoolStride[d]);
            }
        }

        for (var s = 0; s < 4; s++)
        {
            // Strides sit on odd kernels ('same': ceil(n / s)).
            size[0] = OutSize(size[0], 3, StageTemporalStrides[s]);
            size[1] = OutSize(size[1], 3, StageSpatialStrides[s]);
            size[2] = OutSize(size[2], 3, StageSpatialStrides[s]);
        }

        return (size[0], size[1], size[2]);
    }

    // Both padding modes give ceil(n / s) for odd kernels (symmetric k//2: floor((n − 1) / s) + 1).
    private static int OutSize(int n, int k, int s) => k % 2 == 1 ? (n - 1) / s + 1 : throw new InvalidOperationException("kernels are odd");

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{name} must be > 0; got {value}.", name);
        }
    }

    private static void Triple(IReadOnlyList<int> v, string name, bool odd = false)
    {
        if (v is null || v.Count != 3 || v.Any(x => x <= 0 || (odd && x % 2 == 0)))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{name} must be 3 positive{(odd ? " odd" : "")} values (T, H, W); got [{(v is null ? "null" : string.Join(",", v))}].", name);
        }
    }

    private static void Four(IReadOnlyList<int> v, string name)
    {
        if (v is null || v.Count != 4 || v.Any(x => x <= 0))
        {
            throw new ArgumentException($"{nameof(ResNet3dYOptions)}.{name} must be 4 positive values (res2..res5); got [{(v is null ? "null" : string.Join(",", v))}].", name);
        }
    }
}

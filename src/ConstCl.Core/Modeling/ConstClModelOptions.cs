namespace ConstCl.Modeling;

/// <summary>
/// Everything that shapes a <see cref="ConstClModel"/>: backbone, global head, local head and the clip shape the
/// model expects (the data pipeline reads <see cref="InputFrames"/> and <see cref="InputSize"/>).
/// Two presets: <see cref="Paper"/> (the official configuration) and <see cref="Tiny"/> (same topology, narrow and short).
/// </summary>
public sealed record ConstClModelOptions
{
    /// <summary>Backbone shape.</summary>
    public ResNet3dYOptions Backbone { get; init; } = new();

    /// <summary>Global projection MLP.</summary>
    public GlobalHeadOptions GlobalHead { get; init; } = new();

    /// <summary>Local region branch.</summary>
    public LocalHeadOptions LocalHead { get; init; } = new();

    /// <summary>Frames T per clip (16).</summary>
    public int InputFrames { get; init; } = 16;

    /// <summary>Spatial size H = W of each clip (224).</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>The official ConST-CL configuration: CVRL R3D-50, 16×224², context 5, 3×3 decoder of width 128.</summary>
    public static ConstClModelOptions Paper { get; } = new();

    /// <summary>
    /// Same topology as <see cref="Paper"/> (stem, [3,4,6,3] bottleneck blocks with the official temporal kernels, the Y
    /// branch, a 3-layer × 3-unit decoder) but narrow and short: stem 8, widths [8,16,32,64] (res5 256 channels),
    /// 8×64² clips (res5 4×2×2), context 3, global MLP 64 → 32, decoder width 16. One SGD step at batch 4 costs about
    /// 0.3–0.45 CPU-seconds on this project's 2-core machine (see docs/model.md).
    /// </summary>
    public static ConstClModelOptions Tiny { get; } = new()
    {
        Backbone = new ResNet3dYOptions { StemChannels = 8, StageWidths = [8, 16, 32, 64] },
        GlobalHead = new GlobalHeadOptions { HiddenChannels = 64, OutputChannels = 32 },
        LocalHead = new LocalHeadOptions { ContextLength = 3, Width = 16, VanillaHiddenChannels = 64 },
        InputFrames = 8,
        InputSize = 64,
    };

    /// <summary>
    /// The CPU-sized preset (not in the paper; a departure for small compute, see docs/model.md): a shallow
    /// basic-block R3D of 5 convolution layers per branch instead of the 50-layer bottleneck topology, in its Y form
    /// (stem → res2 → res3 → res4 → { res5, res5_local }, so the ConST-CL region branch runs on it too). It sees
    /// consecutive-frame differences. Stem 3×5×5 stride (1,2,2), 16 channels, no max-pool; one basic block per stage at
    /// widths [16, 32, 64, 128], temporal kernel 1 in res2 and 3 after, spatial strides [1,2,2,2], temporal strides
    /// [1,1,2,1]; 8×64² clips (res5 4×4×4); global MLP 128 → 256 → 128 (one hidden layer); decoder 3 layers × 3 units
    /// of width 32, context 3.
    /// </summary>
    public static ConstClModelOptions Small { get; } = new()
    {
        Backbone = new ResNet3dYOptions
        {
            Block = BlockKind.Basic,
            Expansion = 1,
            InputMode = InputMode.FrameDifference,
            StemChannels = 16,
            StemKernel = [3, 5, 5],
            StemStride = [1, 2, 2],
            StemMaxPool = false,
            StageBlocks = [1, 1, 1, 1],
            StageWidths = [16, 32, 64, 128],
            StageSpatialStrides = [1, 2, 2, 2],
            StageTemporalStrides = [1, 1, 2, 1],
            TemporalKernels = [[1], [3], [3], [3]],
        },
        GlobalHead = new GlobalHeadOptions { HiddenChannels = 256, HiddenLayers = 1, OutputChannels = 128 },
        LocalHead = new LocalHeadOptions { ContextLength = 3, Width = 32, VanillaHiddenChannels = 128 },
        InputFrames = 8,
        InputSize = 64,
    };

    /// <summary>
    /// The network the <c>tiny</c> training preset pre-trains: <see cref="Tiny"/>'s official layout with two
    /// small-compute departures (docs/training.md, "Tiny"): it sees consecutive-frame differences, and its projection
    /// head is <see cref="Small"/>'s (one hidden layer, 256 → 128) instead of the official two hidden layers scaled to
    /// 64 → 32. The backbone, the region branch and the embedding (res5 pooled, 256 channels) are <see cref="Tiny"/>'s.
    /// </summary>
    public static ConstClModelOptions TinyPreset { get; } = Tiny with
    {
        Backbone = Tiny.Backbone with { InputMode = InputMode.FrameDifference },
        GlobalHead = Small.GlobalHead,
    };

    /// <summary>
    /// The network of a training preset (case-insensitive), the one <c>PretrainingOptions.ForPreset(name)</c> trains:
    /// <c>small</c> → <see cref="Small"/>, <c>tiny</c> → <see cref="TinyPreset"/>, <c>paper</c> → <see cref="Paper"/>.
    /// </summary>
    /// <param name="name">The preset name.</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static ConstClModelOptions ForPreset(string name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "small" => Small,
        "tiny" => TinyPreset,
        "paper" => Paper,
        _ => throw new ArgumentException($"Unknown preset '{name}': expected small, tiny or paper.", nameof(name)),
    };

    /// <summary>Input clip shape per view <c>[3, T, H, W]</c> without the batch dimension.</summary>
    public IReadOnlyList<long> InputShape => [Backbone.InputChannels, InputFrames, InputSize, InputSize];

    /// <summary>res5 / res5_local shape per clip <c>[C, T′, H′, W′]</c> for <see cref="InputFrames"/>×<see cref="InputSize"/>².</summary>
    public IReadOnlyList<long> FeatureShape
    {
        get
        {
            var (t, h, w) = Backbone.FeatureShape(InputFrames, InputSize, InputSize);
            return [Backbone.OutputChannels, t, h, w];
        }
    }

    /// <summary>Validates every part and their consistency; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Backbone, nameof(Backbone));
        ArgumentNullException.ThrowIfNull(GlobalHead, nameof(GlobalHead));
        ArgumentNullException.ThrowIfNull(LocalHead, nameof(LocalHead));
        Backbone.Validate();
        GlobalHead.Validate();
        LocalHead.Validate();
        if (InputFrames <= 0)
        {
            throw new ArgumentException($"{nameof(ConstClModelOptions)}.{nameof(InputFrames)} must be > 0; got {InputFrames}.", nameof(InputFrames));
        }

        if (InputSize <= 0)
        {
            throw new ArgumentException($"{nameof(ConstClModelOptions)}.{nameof(InputSize)} must be > 0; got {InputSize}.", nameof(InputSize));
        }
    }
}

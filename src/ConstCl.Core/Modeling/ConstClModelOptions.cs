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

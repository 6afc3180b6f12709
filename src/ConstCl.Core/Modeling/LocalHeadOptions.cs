namespace ConstCl.Modeling;

/// <summary>
/// The local (region) branch (spec §3.3–3.7): key-frame ROI pooling of the L2-normalised res5_local, a context memory
/// of <see cref="ContextLength"/> feature slices of the other view with a learned, concatenated positional embedding,
/// and a transformer decoder of <see cref="Layers"/> × <see cref="Heads"/> independent attention units.
/// Its output width is the backbone's res5 width. Defaults are the official configuration.
/// </summary>
public sealed record LocalHeadOptions
{
    /// <summary>
    /// Number of feature slices L in the context memory (odd; 5). 0 selects the paper's vanilla region-based variant
    /// (§3.1, Table 6 row "0"): no context and no transformer, an MLP <c>z = g(h)</c> of
    /// <see cref="VanillaHiddenLayers"/> × [Linear + bias → BN → ReLU] → Linear back to the res5 width.
    /// </summary>
    public int ContextLength { get; init; } = 5;

    /// <summary>Which frame supplies the query boxes and centres the memory (official: <see cref="KeyFrameStrategy.Center"/>).</summary>
    public KeyFrameStrategy KeyFrameStrategy { get; init; } = KeyFrameStrategy.Center;

    /// <summary>Seed of the generator that draws key frames; required when <see cref="KeyFrameStrategy"/> is Random.</summary>
    public int? KeyFrameSeed { get; init; }

    /// <summary>Decoder layers (3).</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Independent attention units per layer (3); a layer outputs <c>Heads · Width</c> channels.</summary>
    public int Heads { get; init; } = 3;

    /// <summary>Width of each unit's q/k/v and FFN (128).</summary>
    public int Width { get; init; } = 128;

    /// <summary>LayerNorm epsilon (1e-12).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-12;

    /// <summary>ROI-align bins per side (4): one bilinear sample per bin centre, averaged.</summary>
    public int CropSize { get; init; } = 4;

    /// <summary>Whether the memory gets the learned positional embedding (8 temporal + 8 spatial channels, concatenated).</summary>
    public bool UsePositionalEmbedding { get; init; } = true;

    /// <summary>Hidden width of both positional MLPs (4).</summary>
    public int PositionalHiddenChannels { get; init; } = 4;

    /// <summary>Output width of each positional MLP (8); the memory gains twice this many channels.</summary>
    public int PositionalChannels { get; init; } = 8;

    /// <summary>Hidden width of the vanilla MLP head (ContextLength 0 only; 2048).</summary>
    public int VanillaHiddenChannels { get; init; } = 2048;

    /// <summary>Hidden layers of the vanilla MLP head (ContextLength 0 only; 3).</summary>
    public int VanillaHiddenLayers { get; init; } = 3;

    /// <summary>BatchNorm momentum of the vanilla MLP head (PyTorch convention; 0.1).</summary>
    public double VanillaBatchNormMomentum { get; init; } = 0.1;

    /// <summary>True for the vanilla region-based variant (<see cref="ContextLength"/> = 0).</summary>
    public bool IsVanilla => ContextLength == 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public void Validate()
    {
        if (ContextLength < 0 || (ContextLength > 0 && ContextLength % 2 == 0))
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{nameof(ContextLength)} must be 0 (vanilla MLP head) or odd and positive; got {ContextLength}.", nameof(ContextLength));
        }

        if (!Enum.IsDefined(KeyFrameStrategy))
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{nameof(KeyFrameStrategy)} is not a known strategy: {KeyFrameStrategy}.", nameof(KeyFrameStrategy));
        }

        if (KeyFrameStrategy == KeyFrameStrategy.Random && KeyFrameSeed is null)
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{nameof(KeyFrameSeed)} must be set when {nameof(KeyFrameStrategy)} is Random (randomness needs an explicit seed).", nameof(KeyFrameSeed));
        }

        Positive(Layers, nameof(Layers));
        Positive(Heads, nameof(Heads));
        Positive(Width, nameof(Width));
        Positive(CropSize, nameof(CropSize));
        Positive(PositionalHiddenChannels, nameof(PositionalHiddenChannels));
        Positive(PositionalChannels, nameof(PositionalChannels));
        Positive(VanillaHiddenChannels, nameof(VanillaHiddenChannels));
        if (VanillaHiddenLayers < 0)
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{nameof(VanillaHiddenLayers)} must be >= 0; got {VanillaHiddenLayers}.", nameof(VanillaHiddenLayers));
        }

        if (!(LayerNormEpsilon > 0))
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{nameof(LayerNormEpsilon)} must be > 0; got {LayerNormEpsilon}.", nameof(LayerNormEpsilon));
        }

        if (!(VanillaBatchNormMomentum > 0 && VanillaBatchNormMomentum <= 1))
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{nameof(VanillaBatchNormMomentum)} must be in (0, 1]; got {VanillaBatchNormMomentum}.", nameof(VanillaBatchNormMomentum));
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{nameof(LocalHeadOptions)}.{name} must be > 0; got {value}.", name);
        }
    }
}

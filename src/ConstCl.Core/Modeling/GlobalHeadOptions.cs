namespace ConstCl.Modeling;

/// <summary>
/// The global projection MLP (spec §2.1): <c>HiddenLayers × [Linear(HiddenChannels) → BN → ReLU] → Linear(OutputChannels, bias)</c>
/// after global average pooling of res5. Defaults are ConST-CL's (hidden Linear without bias, BN momentum 0.1);
/// <see cref="Cvrl"/> gives CVRL's variant (hidden biases, BN momentum 0.003 = Keras 0.997).
/// </summary>
public sealed record GlobalHeadOptions
{
    /// <summary>Width of each hidden layer (2048).</summary>
    public int HiddenChannels { get; init; } = 2048;

    /// <summary>Number of hidden [Linear → BN → ReLU] layers (3).</summary>
    public int HiddenLayers { get; init; } = 3;

    /// <summary>Embedding width D (128).</summary>
    public int OutputChannels { get; init; } = 128;

    /// <summary>Whether hidden Linear layers have a bias (ConST-CL: false; CVRL: true).</summary>
    public bool HiddenBias { get; init; }

    /// <summary>BatchNorm momentum in PyTorch convention (ConST-CL 0.1; CVRL 0.003).</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>BatchNorm epsilon (1e-5).</summary>
    public double BatchNormEpsilon { get; init; } = 1e-5;

    /// <summary>CVRL's projection MLP (video_ssl_model.py): hidden biases on, BN momentum 0.003, otherwise the defaults.</summary>
    public static GlobalHeadOptions Cvrl { get; } = new() { HiddenBias = true, BatchNormMomentum = 0.003 };

    /// <summary>This head with CVRL's differences applied (hidden biases, BN momentum 0.003), keeping the widths.</summary>
    public GlobalHeadOptions AsCvrlVariant() => this with { HiddenBias = true, BatchNormMomentum = 0.003 };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is out of range.</summary>
    public void Validate()
    {
        if (HiddenChannels <= 0)
        {
            throw new ArgumentException($"{nameof(GlobalHeadOptions)}.{nameof(HiddenChannels)} must be > 0; got {HiddenChannels}.", nameof(HiddenChannels));
        }

        if (HiddenLayers < 0)
        {
            throw new ArgumentException($"{nameof(GlobalHeadOptions)}.{nameof(HiddenLayers)} must be >= 0; got {HiddenLayers}.", nameof(HiddenLayers));
        }

        if (OutputChannels <= 0)
        {
            throw new ArgumentException($"{nameof(GlobalHeadOptions)}.{nameof(OutputChannels)} must be > 0; got {OutputChannels}.", nameof(OutputChannels));
        }

        if (!(BatchNormMomentum > 0 && BatchNormMomentum <= 1))
        {
            throw new ArgumentException($"{nameof(GlobalHeadOptions)}.{nameof(BatchNormMomentum)} must be in (0, 1] (PyTorch convention); got {BatchNormMomentum}.", nameof(BatchNormMomentum));
        }

        if (!(BatchNormEpsilon > 0))
        {
            throw new ArgumentException($"{nameof(GlobalHeadOptions)}.{nameof(BatchNormEpsilon)} must be > 0; got {BatchNormEpsilon}.", nameof(BatchNormEpsilon));
        }
    }
}

using TorchSharp.Utils;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Global head (spec §2.1): <c>GAP over (T, H, W) → MLP</c>; <c>[B, C, T, H, W] → [B, D]</c> (not normalised; the loss normalises).
/// </summary>
public sealed class GlobalProjectionHead : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "mlp")]
    private readonly nn.Module<Tensor, Tensor> _mlp;

    internal GlobalProjectionHead(nn.Module<Tensor, Tensor> mlp)
        : base(nameof(GlobalProjectionHead))
    {
        _mlp = mlp;
        RegisterComponents();
    }

    /// <summary>Builds the head for a backbone of <paramref name="inputChannels"/> channels.</summary>
    public static GlobalProjectionHead Create(GlobalHeadOptions options, long inputChannels, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        if (inputChannels <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputChannels), inputChannels, "inputChannels must be > 0.");
        }

        return new GlobalProjectionHead(ProjectionMlp.Create(
            inputChannels, options.HiddenChannels, options.HiddenLayers, options.OutputChannels, options.HiddenBias,
            options.BatchNormMomentum, options.BatchNormEpsilon, generator));
    }

    /// <summary><c>features [B, C, T, H, W] → mean over (T, H, W) [B, C] → MLP → [B, D]</c>.</summary>
    public override Tensor forward(Tensor features)
    {
        if (features.dim() != 5)
        {
            throw new ArgumentException($"features must be [B, C, T, H, W]; got [{string.Join(", ", features.shape)}].", nameof(features));
        }

        using var scope = NewDisposeScope();
        var pooled = features.mean([2, 3, 4]);                // [B, C]
        return _mlp.forward(pooled).MoveToOuterDisposeScope(); // [B, D]
    }
}

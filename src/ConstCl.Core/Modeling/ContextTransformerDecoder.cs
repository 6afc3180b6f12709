using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The ConST-CL decoder g(h, F′_c) (spec §3.7): <c>Layers</c> stacked <see cref="DecoderLayer"/>s (no self-attention
/// among queries), then a projection Dense back to the res5 width.
/// <c>query [B, N, C], memory [B, M, C + 16] → [B, N, C]</c> (Paper: 2048 → 384 → 384 → 384 → 2048).
/// </summary>
internal sealed class ContextTransformerDecoder : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "layers")]
    private readonly ModuleList<DecoderLayer> _layers;
    [ComponentName(Name = "projection")]
    private readonly Linear _projection;

    internal ContextTransformerDecoder(IList<DecoderLayer> layers, Linear projection)
        : base(nameof(ContextTransformerDecoder))
    {
        _layers = nn.ModuleList(layers.ToArray());
        _projection = projection;
        RegisterComponents();
    }

    /// <summary>Builds the decoder for queries of <paramref name="queryChannels"/> and memory of <paramref name="memoryChannels"/>.</summary>
    public static ContextTransformerDecoder Create(LocalHeadOptions options, long queryChannels, long memoryChannels, long outputChannels, Generator generator)
    {
        var layers = new List<DecoderLayer>();
        var channels = queryChannels;
        for (var i = 0; i < options.Layers; i++)
        {
            layers.Add(DecoderLayer.Create(channels, memoryChannels, options.Heads, options.Width, options.LayerNormEpsilon, generator));
            channels = (long)options.Heads * options.Width;
        }

        return new ContextTransformerDecoder(layers, ParameterInit.Dense(channels, outputChannels, bias: true, generator));
    }

    /// <summary><c>query [B, N, C], memory [B, M, Dm] → layers → [B, N, Heads·w] → projection → [B, N, Cout]</c>.</summary>
    public override Tensor forward(Tensor query, Tensor memory)
    {
        using var scope = NewDisposeScope();
        var x = query;
        foreach (var layer in _layers)
        {
            x = layer.forward(x, memory);                                  // [B, N, Heads·w]
        }

        return _projection.forward(x).MoveToOuterDisposeScope();          // [B, N, Cout]
    }
}

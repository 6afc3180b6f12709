using ConstCl.Ops;
using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// One complete attention unit (a "head" of the official decoder, spec §3.7):
/// <c>q = Wq·x, k = Wk·m, v = Wv·m; A = softmax(q kᵀ / √width); h = LN(A v + q); out = W2·GELU(W1·h)</c>
/// — the residual goes to the <i>projected</i> query, LayerNorm is post-attention (eps 1e-12), the FFN has no residual.
/// <c>query [B, N, Din], memory [B, M, Dm] → [B, N, width]</c>.
/// </summary>
internal sealed class DecoderUnit : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "query")]
    private readonly Linear _query;
    [ComponentName(Name = "key")]
    private readonly Linear _key;
    [ComponentName(Name = "value")]
    private readonly Linear _value;
    [ComponentName(Name = "layer_norm")]
    private readonly LayerNorm _layerNorm;
    [ComponentName(Name = "ffn_hidden")]
    private readonly Linear _ffnHidden;
    [ComponentName(Name = "ffn_output")]
    private readonly Linear _ffnOutput;
    private readonly double _scale;

    internal DecoderUnit(Linear query, Linear key, Linear value, LayerNorm layerNorm, Linear ffnHidden, Linear ffnOutput)
        : base(nameof(DecoderUnit))
    {
        _query = query;
        _key = key;
        _value = value;
        _layerNorm = layerNorm;
        _ffnHidden = ffnHidden;
        _ffnOutput = ffnOutput;
        _scale = 1.0 / Math.Sqrt(query.out_features);
        RegisterComponents();
    }

    /// <summary>Builds a unit reading queries of <paramref name="queryChannels"/> and memory of <paramref name="memoryChannels"/>.</summary>
    public static DecoderUnit Create(long queryChannels, long memoryChannels, int width, double layerNormEpsilon, Generator generator) => new(
        ParameterInit.Dense(queryChannels, width, bias: true, generator),
        ParameterInit.Dense(memoryChannels, width, bias: true, generator),
        ParameterInit.Dense(memoryChannels, width, bias: true, generator),
        nn.LayerNorm(width, eps: layerNormEpsilon),
        ParameterInit.Dense(width, width, bias: true, generator),
        ParameterInit.Dense(width, width, bias: true, generator));

    /// <summary><c>query [B, N, Din], memory [B, M, Dm] → [B, N, width]</c>.</summary>
    public override Tensor forward(Tensor query, Tensor memory)
    {
        var (hidden, attention) = ForwardWithAttention(query, memory);
        attention.Dispose();
        return hidden;
    }

    /// <summary>As <see cref="forward"/>, also returning the attention weights <c>[B, N, M]</c>.</summary>
    public (Tensor Hidden, Tensor Attention) ForwardWithAttention(Tensor query, Tensor memory)
    {
        using var scope = NewDisposeScope();
        using var scale = _scale.ToScalar();   // explicit and alive until the end (see Ops.Scalars)
        var q = _query.forward(query);                                                  // [B, N, w]
        var k = _key.forward(memory);                                                   // [B, M, w]
        var v = _value.forward(memory);                                                 // [B, M, w]
        var attention = q.matmul(k.transpose(1, 2)).mul_(scale).softmax(-1);            // [B, N, M]
        var h = _layerNorm.forward(attention.matmul(v).add_(q, Scalars.One));           // [B, N, w]  residual to projected q
        h = _ffnOutput.forward(nn.functional.gelu(_ffnHidden.forward(h)));                 // [B, N, w]  exact-erf GELU, no residual
        return (h.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }
}

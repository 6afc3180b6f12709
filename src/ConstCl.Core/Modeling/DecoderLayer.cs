using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// One decoder layer: <c>Heads</c> independent <see cref="DecoderUnit"/>s on the same query and memory, concatenated
/// (spec §3.7). <c>[B, N, Din], [B, M, Dm] → [B, N, Heads · width]</c>.
/// </summary>
internal sealed class DecoderLayer : nn.Module<Tensor, Tensor, Tensor>
{
    [ComponentName(Name = "units")]
    private readonly ModuleList<DecoderUnit> _units;

    internal DecoderLayer(IList<DecoderUnit> units)
        : base(nameof(DecoderLayer))
    {
        if (units.Count == 0)
        {
            throw new ArgumentException("A decoder layer needs at least one unit.", nameof(units));
        }

        _units = nn.ModuleList(units.ToArray());
        RegisterComponents();
    }

    /// <summary>Builds <paramref name="heads"/> units of <paramref name="width"/>.</summary>
    public static DecoderLayer Create(long queryChannels, long memoryChannels, int heads, int width, double layerNormEpsilon, Generator generator)
    {
        var units = new List<DecoderUnit>();
        for (var i = 0; i < heads; i++)
        {
            units.Add(DecoderUnit.Create(queryChannels, memoryChannels, width, layerNormEpsilon, generator));
        }

        return new DecoderLayer(units);
    }

    /// <summary><c>[B, N, Din], [B, M, Dm] → concat over units [B, N, Heads · width]</c>.</summary>
    public override Tensor forward(Tensor query, Tensor memory)
    {
        using var scope = NewDisposeScope();
        var outputs = _units.Select(u => u.forward(query, memory)).ToArray();       // Heads × [B, N, w]
        return cat(outputs, -1).MoveToOuterDisposeScope();                          // [B, N, Heads·w]
    }
}

using ConstCl.Ops;
using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Learned positional embedding of the memory tokens (spec §3.6): <c>temporal = Dense(8)(ReLU(Dense(4)(t)))</c> and
/// <c>spatial = Dense(8)(ReLU(Dense(4)([y, x])))</c> on centred integer indices, concatenated (not added) to the memory.
/// <c>grid [M, 3] (t, y, x) → [M, 16]</c>.
/// </summary>
internal sealed class PositionalEmbedding : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "temporal_hidden")]
    private readonly Linear _temporalHidden;
    [ComponentName(Name = "temporal_output")]
    private readonly Linear _temporalOutput;
    [ComponentName(Name = "spatial_hidden")]
    private readonly Linear _spatialHidden;
    [ComponentName(Name = "spatial_output")]
    private readonly Linear _spatialOutput;

    internal PositionalEmbedding(Linear temporalHidden, Linear temporalOutput, Linear spatialHidden, Linear spatialOutput)
        : base(nameof(PositionalEmbedding))
    {
        _temporalHidden = temporalHidden;
        _temporalOutput = temporalOutput;
        _spatialHidden = spatialHidden;
        _spatialOutput = spatialOutput;
        RegisterComponents();
    }

    /// <summary>Channels appended to each memory token (2 × PositionalChannels = 16).</summary>
    public long Channels => _temporalOutput.out_features + _spatialOutput.out_features;

    /// <summary>Builds the two MLPs (1 → 4 → 8 and 2 → 4 → 8, biases on).</summary>
    public static PositionalEmbedding Create(LocalHeadOptions options, Generator generator) => new(
        ParameterInit.Dense(1, options.PositionalHiddenChannels, bias: true, generator),
        ParameterInit.Dense(options.PositionalHiddenChannels, options.PositionalChannels, bias: true, generator),
        ParameterInit.Dense(2, options.PositionalHiddenChannels, bias: true, generator),
        ParameterInit.Dense(options.PositionalHiddenChannels, options.PositionalChannels, bias: true, generator));

    /// <summary>
    /// Centred (t, y, x) indices of an L×H×W memory, row-major: <c>t − (L−1)/2, y − (H−1)/2, x − (W−1)/2</c>; <c>[L·H·W, 3]</c>.
    /// </summary>
    public static Tensor CenteredGrid(long frames, long height, long width, Device? device = null)
    {
        using var scope = NewDisposeScope();
        // Explicit Scalars that outlive their calls (see Ops.Scalars).
        using var centreT = ((frames - 1) / 2.0).ToScalar();
        using var centreY = ((height - 1) / 2.0).ToScalar();
        using var centreX = ((width - 1) / 2.0).ToScalar();
        var t = Scalars.Arange(frames, ScalarType.Float32, device).sub(centreT);
        var y = Scalars.Arange(height, ScalarType.Float32, device).sub(centreY);
        var x = Scalars.Arange(width, ScalarType.Float32, device).sub(centreX);
        var mesh = meshgrid([t, y, x], indexing: "ij");                                          // 3 × [L, H, W]
        return stack(mesh, -1).reshape(frames * height * width, 3).MoveToOuterDisposeScope();   // [L·H·W, 3]
    }

    /// <summary><c>grid [M, 3] → concat(temporal [M, 8], spatial [M, 8]) [M, 16]</c>.</summary>
    public override Tensor forward(Tensor grid)
    {
        using var scope = NewDisposeScope();
        var t = grid[.., 0..1];                                                                  // [M, 1]
        var yx = grid[.., 1..3];                                                                 // [M, 2]
        var temporal = _temporalOutput.forward(nn.functional.relu(_temporalHidden.forward(t)));    // [M, 8]
        var spatial = _spatialOutput.forward(nn.functional.relu(_spatialHidden.forward(yx)));      // [M, 8]
        return cat([temporal, spatial], -1).MoveToOuterDisposeScope();                          // [M, 16]
    }
}

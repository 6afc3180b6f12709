using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The R3D-50 "Y" backbone (spec §1.5): <c>stem → res2 → res3 → res4 → { res5, res5_local }</c>; both res5 branches are
/// built by the same stage builder from res4's output and share no parameters.
/// <c>[B, 3, T, H, W] → 2 × [B, 2048, T/2, H/32, W/32]</c> (Paper: 16×224² → 8×7×7).
/// </summary>
public sealed class ResNet3dY : nn.Module<Tensor, BackboneFeatures>
{
    [ComponentName(Name = "stem")]
    private readonly nn.Module<Tensor, Tensor> _stem;
    [ComponentName(Name = "res2")]
    private readonly Sequential _res2;
    [ComponentName(Name = "res3")]
    private readonly Sequential _res3;
    [ComponentName(Name = "res4")]
    private readonly Sequential _res4;
    [ComponentName(Name = "res5")]
    private readonly Sequential _res5;
    [ComponentName(Name = "res5_local")]
    private readonly Sequential _res5Local;
    private readonly bool _channelsLast;

    internal ResNet3dY(
        nn.Module<Tensor, Tensor> stem, Sequential res2, Sequential res3, Sequential res4, Sequential res5, Sequential res5Local, int inputChannels, int outputChannels, bool channelsLast)
        : base(nameof(ResNet3dY))
    {
        _stem = stem;
        _res2 = res2;
        _res3 = res3;
        _res4 = res4;
        _res5 = res5;
        _res5Local = res5Local;
        _channelsLast = channelsLast;
        InputChannels = inputChannels;
        OutputChannels = outputChannels;
        RegisterComponents();
    }

    /// <summary>Channels of the input clip (3).</summary>
    public int InputChannels { get; }

    /// <summary>Channels of each res5 branch (2048 for Paper).</summary>
    public int OutputChannels { get; }

    /// <summary>Builds the backbone (validates the options; weights drawn from <paramref name="generator"/>).</summary>
    public static ResNet3dY Create(ResNet3dYOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        var stem = ResNetStem.Create(options, generator);
        long channels = options.StemChannels;
        var res2 = BuildStage(options, 0, ref channels, generator);
        var res3 = BuildStage(options, 1, ref channels, generator);
        var res4 = BuildStage(options, 2, ref channels, generator);
        var res4Channels = channels;
        var res5 = BuildStage(options, 3, ref channels, generator);
        channels = res4Channels;
        var res5Local = BuildStage(options, 3, ref channels, generator);   // the Y: a second res5 fed by res4
        return new ResNet3dY(stem, res2, res3, res4, res5, res5Local, options.InputChannels, options.OutputChannels, options.Block == BlockKind.Basic);
    }

    /// <summary>
    /// The stage builder used for res2..res5 and, a second time, for res5_local: <c>StageBlocks[s]</c> blocks
    /// (<see cref="ResNet3dYOptions.Block"/>) of width <c>StageWidths[s]</c>, the first with the stage's strides and a
    /// projection shortcut.
    /// </summary>
    internal static Sequential BuildStage(ResNet3dYOptions options, int stage, ref long channels, Generator generator)
    {
        var blocks = new nn.Module<Tensor, Tensor>[options.StageBlocks[stage]];
        for (var b = 0; b < blocks.Length; b++)
        {
            var stride = b == 0 ? options.StageSpatialStrides[stage] : 1;
            var kernel = options.TemporalKernels[stage][b];
            blocks[b] = options.Block switch
            {
                BlockKind.Basic => BasicBlock3d.Create(options, channels, options.StageWidths[stage], kernel, b == 0 ? options.StageTemporalStrides[stage] : 1, stride, generator),
                _ => Bottleneck3d.Create(options, channels, options.StageWidths[stage], kernel, stride, generator),
            };
            channels = (long)options.StageWidths[stage] * options.Expansion;
        }

        return nn.Sequential(blocks);
    }

    /// <summary>
    /// <c>x [B, 3, T, H, W] → stem → res2 → res3 → res4 → (res5, res5_local)</c>, each <c>[B, 2048, T′, H′, W′]</c>.
    /// </summary>
    public override BackboneFeatures forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var r4 = ForwardTrunk(x);                                   // [B, 1024, T′, 2H′, 2W′]
        var res5 = _res5.forward(r4);                               // [B, 2048, T′, H′, W′]
        var res5Local = _res5Local.forward(r4);                     // [B, 2048, T′, H′, W′]
        return new BackboneFeatures(res5.MoveToOuterDisposeScope(), res5Local.MoveToOuterDisposeScope());
    }

    /// <summary>Runs stem..res4 and one res5 branch only (for embedding): <c>[B, 3, T, H, W] → [B, 2048, T′, H′, W′]</c>.</summary>
    public Tensor ForwardBranch(Tensor x, BackboneBranch branch) => ForwardBranch(x, branch, BackboneStage.Res5);

    /// <summary>
    /// Runs the stem and the stages up to <paramref name="stage"/> of one branch (below res5 the branches share their
    /// layers): <c>[B, 3, T, H, W] → [B, C, T′, H′, W′]</c> with C = <see cref="ResNet3dYOptions.StageOutputChannels"/>.
    /// </summary>
    public Tensor ForwardBranch(Tensor x, BackboneBranch branch, BackboneStage stage)
    {
        CheckInput(x);
        var modules = Stages(branch, stage);
        using var scope = NewDisposeScope();
        // Basic blocks (no 1×1×1 convolution outside the shortcuts) run channels-last on the CPU: 1.3–1.45× faster
        // (ChannelsLastLayout). Bottleneck blocks are two-thirds 1×1×1 convolutions, which must not see that layout.
        var h = _channelsLast ? ChannelsLastLayout.Apply(x) : x;
        foreach (var module in modules)
        {
            h = module.forward(h);
        }

        return h.MoveToOuterDisposeScope();
    }

    /// <summary>The modules <see cref="ForwardBranch(Tensor, BackboneBranch)"/> runs, in order: stem, res2, res3, res4, then res5 or res5_local (for export).</summary>
    internal IReadOnlyList<nn.Module> BranchModules(BackboneBranch branch) => BranchModules(branch, BackboneStage.Res5);

    /// <summary>The stem and the stages up to <paramref name="stage"/> of <paramref name="branch"/>, in order (for export).</summary>
    internal IReadOnlyList<nn.Module> BranchModules(BackboneBranch branch, BackboneStage stage) => Stages(branch, stage);

    private nn.Module<Tensor, Tensor>[] Stages(BackboneBranch branch, BackboneStage stage)
    {
        nn.Module<Tensor, Tensor> res5 = branch switch
        {
            BackboneBranch.Global => _res5,
            BackboneBranch.Local => _res5Local,
            _ => throw new ArgumentOutOfRangeException(nameof(branch), branch, "branch must be Global or Local."),
        };
        nn.Module<Tensor, Tensor>[] all = [_stem, _res2, _res3, _res4, res5];
        return all[..(int)BackboneStageCheck.Defined(stage)];   // stage N runs the stem and N − 1 stages
    }

    /// <summary>stem..res4, shared by both branches: <c>[B, 3, T, H, W] → [B, 1024, T/2, H/16, W/16]</c>.</summary>
    private Tensor ForwardTrunk(Tensor x) => ForwardBranch(x, BackboneBranch.Global, BackboneStage.Res4);

    private void CheckInput(Tensor x)
    {
        if (x.dim() != 5 || x.shape[1] != InputChannels)
        {
            throw new ArgumentException($"The backbone input must be [B, C, T, H, W] with C = {InputChannels}; got [{string.Join(", ", x.shape)}].", nameof(x));
        }
    }
}

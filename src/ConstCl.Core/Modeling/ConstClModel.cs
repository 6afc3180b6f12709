using ConstCl.Ops;
using TorchSharp.Utils;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The ConST-CL network (spec Appendix A):
/// <code>
/// x = [A; B]                      [2B, 3, T, H, W]
/// (r5, r5l) = backbone(x)         2 × [2B, C, T′, H′, W′]
/// g = global_head(r5)             [2B, D]            → global NT-Xent
/// F = l2norm_channels(r5l)        [2B, C, T′, H′, W′]
/// h, h′ = ROI(F[key slice], key-frame boxes)          [B, N, C] each
/// z_a2b = decoder(h, memory(F_B)), z_b2a = decoder(h′, memory(F_A))   [B, N, C] each → local InfoNCE
/// </code>
/// Build it with <see cref="Create(ConstClModelOptions, long)"/>.
/// </summary>
public sealed class ConstClModel : nn.Module<ConstClModelInput, ConstClModelOutput>
{
    [ComponentName(Name = BackboneKeys.ModuleName)]
    private readonly ResNet3dY _backbone;
    [ComponentName(Name = "global_head")]
    private readonly GlobalProjectionHead _globalHead;
    [ComponentName(Name = "local_head")]
    private readonly nn.Module<Tensor, Tensor, long[], LocalHeadOutput> _localHead;
    // KeyFrameStrategy.Random only: how many forward passes have drawn key frames. A buffer, so checkpoints carry it and a
    // resumed run draws the same key frames as an uninterrupted one (a System.Random's position cannot be saved).
    private readonly Tensor? _keyFrameDraws;

    /// <summary>State-dict name of the key-frame draw counter (present only with <see cref="KeyFrameStrategy.Random"/>).</summary>
    internal const string KeyFrameDrawsName = "key_frame_draws";

    internal ConstClModel(
        ConstClModelOptions options, ResNet3dY backbone, GlobalProjectionHead globalHead, nn.Module<Tensor, Tensor, long[], LocalHeadOutput> localHead)
        : base(nameof(ConstClModel))
    {
        Options = options;
        _backbone = backbone;
        _globalHead = globalHead;
        _localHead = localHead;
        RegisterComponents();
        if (options.LocalHead.KeyFrameStrategy == KeyFrameStrategy.Random)
        {
            _keyFrameDraws = torch.zeros([], dtype: ScalarType.Int64);
            register_buffer(KeyFrameDrawsName, _keyFrameDraws);
        }
    }

    /// <summary>The options this model was built from.</summary>
    public ConstClModelOptions Options { get; }

    /// <summary>The Y backbone (use <see cref="ResNet3dY.ForwardBranch(Tensor, BackboneBranch, BackboneStage)"/> for embeddings).</summary>
    public ResNet3dY Backbone => _backbone;

    /// <summary>The global projection head.</summary>
    public GlobalProjectionHead GlobalHead => _globalHead;

    internal nn.Module<Tensor, Tensor, long[], LocalHeadOutput> LocalHead => _localHead;

    /// <summary>Builds the model with weights drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static ConstClModel Create(ConstClModelOptions options, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return Create(options, generator);
    }

    /// <summary>Builds the model (validates <paramref name="options"/> once) with weights drawn from <paramref name="generator"/>.</summary>
    public static ConstClModel Create(ConstClModelOptions options, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(generator);
        options.Validate();
        var backbone = ResNet3dY.Create(options.Backbone, generator);
        var globalHead = GlobalProjectionHead.Create(options.GlobalHead, options.Backbone.OutputChannels, generator);
        nn.Module<Tensor, Tensor, long[], LocalHeadOutput> localHead = options.LocalHead.IsVanilla
            ? RegionMlpHead.Create(options.LocalHead, options.Backbone.OutputChannels, generator)
            : InstanceReconstructor.Create(options.LocalHead, options.Backbone.OutputChannels, generator);
        return new ConstClModel(options, backbone, globalHead, localHead);
    }

    /// <summary>
    /// Runs both views through the network. Boxes are read at each view's key frame (Center: input frame T/2, feature
    /// slice T′/2). Returns global embeddings <c>[2B, D]</c> (view A rows first) and the region tensors <c>[B, N, C]</c>.
    /// </summary>
    public override ConstClModelOutput forward(ConstClModelInput input) => Forward(input, timeReversedNegatives: false);

    /// <summary>
    /// <see cref="forward"/>, optionally with view B's clips also run backwards
    /// (<see cref="Losses.ConstClObjectiveOptions.TimeReversedNegatives"/>): the backbone then sees
    /// <c>[A; B; reverse_T(B)]</c> (3B clips, one BatchNorm batch) and <see cref="ConstClModelOutput.ReversedEmbeddings"/>
    /// holds the reversed clips' global embeddings <c>[B, D]</c>; every other output is computed from the first 2B rows
    /// as in <see cref="forward"/>.
    /// </summary>
    /// <param name="input">Both views and their boxes (see <see cref="forward"/>).</param>
    /// <param name="timeReversedNegatives">Also embed view B played backwards.</param>
    /// <returns>The model output; <see cref="ConstClModelOutput.ReversedEmbeddings"/> is set only with <paramref name="timeReversedNegatives"/>.</returns>
    public ConstClModelOutput Forward(ConstClModelInput input, bool timeReversedNegatives) =>
        Forward(input, timeReversedNegatives, skipLocalBranch: false);

    /// <summary>
    /// <see cref="Forward(ConstClModelInput, bool)"/>; with <paramref name="skipLocalBranch"/> the local branch
    /// (res5_local, the region head) is not run at all and the region tensors and masks come back empty (N = 0:
    /// <c>[B, 0, C]</c>, <c>[B, 0]</c>). For a global-only objective (ω = 0), which never reads them: the global path's
    /// values and gradients are the same either way, res5_local gets no gradient either way, and only its BatchNorm
    /// running statistics, which nothing reads, stay where they were.
    /// </summary>
    internal ConstClModelOutput Forward(ConstClModelInput input, bool timeReversedNegatives, bool skipLocalBranch)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (batch, frames, boxes) = CheckInput(input);
        using var scope = NewDisposeScope();
        var x = timeReversedNegatives
            ? cat([input.ViewA, input.ViewB, input.ViewB.flip(2)], 0)                          // [3B, 3, T, H, W]
            : cat([input.ViewA, input.ViewB], 0);                                              // [2B, 3, T, H, W]
        // Global-only: stem..res4 and res5 alone (res5_local and the region head are never run).
        using var features = skipLocalBranch ? null : _backbone.forward(x);                  // 2 × [2B (3B), C, T′, H′, W′]
        var res5All = features?.Res5 ?? _backbone.ForwardBranch(x, BackboneBranch.Global);
        var allGlobal = _globalHead.forward(res5All);                                        // [2B (3B), D]
        var global = timeReversedNegatives ? allGlobal.narrow(0, 0, 2 * batch) : allGlobal;  // [2B, D]
        var reversed = timeReversedNegatives ? allGlobal.narrow(0, 2 * batch, batch) : null; // [B, D]
        var res5 = timeReversedNegatives ? res5All.narrow(0, 0, 2 * batch) : res5All;
        var pooled = res5.detach().mean([2, 3, 4]);                                          // [2B, C] (diagnostics)
        if (features is null)
        {
            return GlobalOnlyOutput(global, pooled, reversed, batch, res5All.shape[1]);
        }

        var res5Local = timeReversedNegatives ? features.Res5Local.narrow(0, 0, 2 * batch) : features.Res5Local;
        var local = L2NormalizeChannels(res5Local);                                          // [2B, C, T′, H′, W′]
        var featureFrames = local.shape[2];

        var (frameA, frameB) = KeyFrameSelector.Select(
            Options.LocalHead.KeyFrameStrategy, batch, frames, input.FrameTimesA, input.FrameTimesB, NextKeyFrameRandom());
        var slices = frameA.Concat(frameB).Select(f => KeyFrameSelector.FeatureSlice(f, frames, featureFrames)).ToArray();   // 2B
        var rows = Scalars.Arange(batch, device: x.device);
        var ia = TensorIndex.Tensor(tensor(frameA, device: x.device));
        var ib = TensorIndex.Tensor(tensor(frameB, device: x.device));
        var keyBoxes = cat([input.BoxesA.index(TensorIndex.Tensor(rows), ia), input.BoxesB.index(TensorIndex.Tensor(rows), ib)], 0);   // [2B, N, 4]
        var maskA = input.MaskA is null ? ones(batch, boxes, dtype: ScalarType.Bool, device: x.device) : input.MaskA.index(TensorIndex.Tensor(rows), ia);   // [B, N]
        var maskB = input.MaskB is null ? ones(batch, boxes, dtype: ScalarType.Bool, device: x.device) : input.MaskB.index(TensorIndex.Tensor(rows), ib);

        var regions = _localHead.forward(local, keyBoxes, slices);                            // 4 × [B, N, C]
        return new ConstClModelOutput(
            global.MoveToOuterDisposeScope(),
            regions.RegionFeaturesA.MoveToOuterDisposeScope(),
            regions.RegionFeaturesB.MoveToOuterDisposeScope(),
            regions.PredictionsAToB.MoveToOuterDisposeScope(),
            regions.PredictionsBToA.MoveToOuterDisposeScope(),
            maskA.to(ScalarType.Bool).MoveToOuterDisposeScope(),
            maskB.to(ScalarType.Bool).MoveToOuterDisposeScope())
        {
            BackboneEmbeddings = pooled.MoveToOuterDisposeScope(),
            ReversedEmbeddings = reversed?.MoveToOuterDisposeScope(),
        };
    }

    /// <summary>
    /// The output of a global-only forward pass: the global tensors moved out of the caller's dispose scope, region
    /// tensors <c>[B, 0, C]</c> and masks <c>[B, 0]</c> empty.
    /// </summary>
    private static ConstClModelOutput GlobalOnlyOutput(Tensor global, Tensor pooled, Tensor? reversed, int batch, long channels)
    {
        var device = global.device;
        Tensor NoRegions() => zeros(batch, 0, channels, dtype: global.dtype, device: device).MoveToOuterDisposeScope();
        Tensor NoMask() => zeros(batch, 0, dtype: ScalarType.Bool, device: device).MoveToOuterDisposeScope();
        return new ConstClModelOutput(global.MoveToOuterDisposeScope(), NoRegions(), NoRegions(), NoRegions(), NoRegions(), NoMask(), NoMask())
        {
            BackboneEmbeddings = pooled.MoveToOuterDisposeScope(),
            ReversedEmbeddings = reversed?.MoveToOuterDisposeScope(),
        };
    }

    /// <summary>
    /// For <see cref="KeyFrameStrategy.Random"/>: a generator for this forward pass, seeded from the key-frame seed and
    /// the number of earlier draws (then counted), so the draws depend only on the model's state; otherwise null.
    /// </summary>
    private Random? NextKeyFrameRandom()
    {
        if (_keyFrameDraws is null)
        {
            return null;
        }

        var draws = _keyFrameDraws.item<long>();
        using (torch.no_grad())
        {
            _keyFrameDraws.add_(Scalars.One, Scalars.One);
        }

        // SplitMix64 of (seed, draw): well-separated streams for consecutive draws; System.Random(int) is stable across runs.
        var z = unchecked((ulong)Options.LocalHead.KeyFrameSeed!.Value * 0x9E3779B97F4A7C15UL + (ulong)draws + 1);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return new Random((int)((z ^ (z >> 31)) & int.MaxValue));
    }

    /// <summary>TF <c>l2_normalize</c> over channels (dim 1): <c>x · rsqrt(max(Σ x², 1e-12))</c>.</summary>
    internal static Tensor L2NormalizeChannels(Tensor x)
    {
        using var scope = NewDisposeScope();
        var squared = Scalars.Square(x).sum(1, keepdim: true).clamp_min(L2Normalize.EpsilonScalar);   // [B, 1, T, H, W]
        return x.mul(squared.rsqrt()).MoveToOuterDisposeScope();
    }

    private (int Batch, int Frames, long Boxes) CheckInput(ConstClModelInput input)
    {
        var a = input.ViewA;
        if (a is null || a.dim() != 5 || a.shape[1] != _backbone.InputChannels)
        {
            throw new ArgumentException($"ViewA must be [B, {_backbone.InputChannels}, T, H, W]; got [{(a is null ? "null" : string.Join(", ", a.shape))}].", nameof(input));
        }

        if (input.ViewB is null || !input.ViewB.shape.SequenceEqual(a.shape))
        {
            throw new ArgumentException($"ViewB must have ViewA's shape [{string.Join(", ", a.shape)}]; got [{(input.ViewB is null ? "null" : string.Join(", ", input.ViewB.shape))}].", nameof(input));
        }

        long batch = a.shape[0], frames = a.shape[2];
        var boxesA = input.BoxesA;
        if (boxesA is null || boxesA.dim() != 4 || boxesA.shape[0] != batch || boxesA.shape[1] != frames || boxesA.shape[3] != 4)
        {
            throw new ArgumentException($"BoxesA must be [B, T, N, 4] = [{batch}, {frames}, N, 4] normalised (x1, y1, x2, y2); got [{(boxesA is null ? "null" : string.Join(", ", boxesA.shape))}].", nameof(input));
        }

        if (input.BoxesB is null || !input.BoxesB.shape.SequenceEqual(boxesA.shape))
        {
            throw new ArgumentException($"BoxesB must have BoxesA's shape [{string.Join(", ", boxesA.shape)}]; got [{(input.BoxesB is null ? "null" : string.Join(", ", input.BoxesB.shape))}].", nameof(input));
        }

        long[] maskShape = [batch, frames, boxesA.shape[2]];
        if (input.MaskA is not null && !input.MaskA.shape.SequenceEqual(maskShape))
        {
            throw new ArgumentException($"MaskA must be [B, T, N] = [{string.Join(", ", maskShape)}]; got [{string.Join(", ", input.MaskA.shape)}].", nameof(input));
        }

        if (input.MaskB is not null && !input.MaskB.shape.SequenceEqual(maskShape))
        {
            throw new ArgumentException($"MaskB must be [B, T, N] = [{string.Join(", ", maskShape)}]; got [{string.Join(", ", input.MaskB.shape)}].", nameof(input));
        }

        return ((int)batch, (int)frames, boxesA.shape[2]);
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConstCl.Augmentation;
using ConstCl.Data;
using ConstCl.Losses;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Training;

/// <summary>
/// Every hyper-parameter of a pre-training run, defined once, serialisable to JSON and validated once
/// (<see cref="Validate"/>). The defaults equal <see cref="Paper"/>: the official ConST-CL configuration
/// (spec §4.1–§4.2), with the learning rate scaled linearly from the official batch of 1 024 videos.
/// </summary>
/// <remarks>
/// <para>Learning rate: the official config uses SGD with an absolute peak of 40.96 at a global batch of
/// 1 024 videos (2 048 clips) and has no scaling rule. With the default <see cref="LearningRateScaling.Linear"/>
/// rule and <see cref="ReferenceBatchSize"/> = 1 024 the peak is <c>BaseLearningRate · BatchSize / 1024</c>: exactly
/// 40.96 at the official batch, and proportionally smaller at the batches a single machine can hold.
/// The official gradients are also summed over TPU replicas without a 1/R factor (spec §4.3), so the authors'
/// effective step was R times larger than a mean-reduced single-process loss gives; for SGD this is reproduced
/// exactly by multiplying <see cref="BaseLearningRate"/> by R (R is not recorded in the official configs).</para>
/// <para>Steps count optimiser updates; the update that produces step <c>s + 1</c> uses the learning rate of step
/// <c>s</c>, as Keras does (so the very first update uses <c>lr(0) = 0</c>).</para>
/// </remarks>
public sealed record PretrainingOptions
{
    /// <summary>Total optimiser steps (the cosine reaches 0 here). Official: 200 000 (or 100 000).</summary>
    public int Steps { get; init; } = 200_000;

    /// <summary>Videos per step; each contributes two clips (two views). Official: 1 024.</summary>
    public int BatchSize { get; init; } = 1024;

    /// <summary>Peak learning rate at <see cref="ReferenceBatchSize"/>. Official: 40.96 (SGD, batch 1 024).</summary>
    public double BaseLearningRate { get; init; } = 40.96;

    /// <summary>How the peak learning rate follows <see cref="BatchSize"/>. Default <see cref="LearningRateScaling.Linear"/>.</summary>
    public LearningRateScaling LearningRateScaling { get; init; } = LearningRateScaling.Linear;

    /// <summary>The batch size at which <see cref="BaseLearningRate"/> applies unscaled. Official: 1 024.</summary>
    public int ReferenceBatchSize { get; init; } = 1024;

    /// <summary>Linear warm-up from 0 over this many steps. Official: 2 500.</summary>
    public int WarmupSteps { get; init; } = 2500;

    /// <summary>Update rule. Official: <see cref="OptimizerKind.Sgd"/> (no LARS).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Sgd;

    /// <summary>Momentum coefficient for SGD and LARS. Official: 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov momentum. Official: false.</summary>
    public bool Nesterov { get; init; }

    /// <summary>AdamW's first-moment decay β1 (ignored by SGD and LARS).</summary>
    public double AdamBeta1 { get; init; } = 0.9;

    /// <summary>AdamW's second-moment decay β2 (ignored by SGD and LARS).</summary>
    public double AdamBeta2 { get; init; } = 0.999;

    /// <summary>AdamW's ε (ignored by SGD and LARS).</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>LARS trust coefficient η (You et al. 2017; SimCLR and Model Garden use 0.001). Ignored by SGD.</summary>
    public double LarsTrustCoefficient { get; init; } = 0.001;

    /// <summary>
    /// Weight of the explicit L2 loss term <c>WeightDecay · Σ‖W‖²/2</c> over convolution and dense kernels only
    /// (not biases, not normalisation parameters), exactly as the official code. Official: 1e-6. With
    /// <see cref="OptimizerKind.AdamW"/> the same kernels are decayed by the optimiser instead (decoupled, <c>w ← w·(1 − lr·wd)</c>)
    /// and the loss has no L2 term.
    /// </summary>
    public double WeightDecay { get; init; } = 1e-6;

    /// <summary>Clip the global gradient L2 norm to this value; null disables clipping (official: none).</summary>
    public double? GradientClipNorm { get; init; }

    /// <summary>Steps with a non-finite loss or gradient are skipped; this many in a row stop the run.</summary>
    public int MaxConsecutiveNonFiniteSteps { get; init; } = 10;

    /// <summary>Write a checkpoint every this many steps (and always at the end).</summary>
    public int CheckpointEvery { get; init; } = 1000;

    /// <summary>How many of the newest checkpoints to keep.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Seed of every random generator of the run (torch and managed).</summary>
    public long Seed { get; init; } = 1;

    /// <summary>libtorch intra-op threads (explicit; bitwise resume needs the same count).</summary>
    public int Threads { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>
    /// Where the model, the batches and the optimiser state live (default <see cref="ComputeDevice.Cpu"/>); written
    /// <c>"cpu"</c> or <c>"cuda:N"</c> in JSON. A CUDA device needs a CUDA back-end package (see <see cref="TorchRuntime.Resolve"/>).
    /// </summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Compute the forward pass in bfloat16 (variables and optimiser state stay float32), as the official TPU runs.</summary>
    public bool BFloat16 { get; init; }

    /// <summary>
    /// Warn when the global loss has stayed within 2 % of its chance value <c>2·ln(2B − 1)</c> for this many steps after the
    /// warm-up, or when the embeddings have collapsed for as long (see <see cref="RepresentationDiagnostics"/>); 0 disables
    /// the warnings. Measured at logged steps only.
    /// </summary>
    public int StallWarningSteps { get; init; } = 100;

    /// <summary>Write metrics every this many steps.</summary>
    public int LogEvery { get; init; } = 10;

    /// <summary>The network to pre-train (its JSON is part of the options hash, so a resume with another model is refused).</summary>
    public ConstClModelOptions Model { get; init; } = ConstClModelOptions.Paper;

    /// <summary>Loss weights and temperatures; <c>Objective.LocalWeight = 0</c> is the global-only CVRL objective.</summary>
    public ConstClObjectiveOptions Objective { get; init; } = new();

    /// <summary>
    /// How the two views of a video are augmented (crop, flip, colour, blur, solarize). Official:
    /// <see cref="AugmentationOptions.Official"/>; the output size is always the model's <see cref="ConstClModelOptions.InputSize"/>.
    /// </summary>
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.Official;

    /// <summary>
    /// Smallest start gap between the two views in source frames (official CVRL sampling: 0). Part of the trajectory,
    /// so a resume with another value is refused like any other option.
    /// </summary>
    public int MinimumViewGap { get; init; }

    /// <summary>
    /// True: video files are decoded with an area filter to short side <see cref="ConstClModelOptions.InputSize"/>
    /// (<see cref="Data.LoaderOptions.DecodeShortSide"/>) before the random resized crop, so a 320×240 source reaches 64² without
    /// aliasing; the crop then enlarges slightly. False (official): the crop is cut from the frame at its stored size and
    /// resized bilinearly, which at 64² from UCF101-sized files turns textures into flicker that frame differences see
    /// (docs/training.md, "Sources larger than the input"). Frames given in memory are used as given.
    /// </summary>
    public bool DecodeAtInputSize { get; init; }

    /// <summary>The peak learning rate after the batch-size rule: what the schedule warms up to.</summary>
    [JsonIgnore]
    public double PeakLearningRate => LearningRateScaling switch
    {
        LearningRateScaling.Linear => BaseLearningRate * BatchSize / ReferenceBatchSize,
        _ => BaseLearningRate,
    };

    /// <summary>
    /// Fields that may differ between a checkpoint and a resumed run without changing the training trajectory's
    /// definition (logging and checkpoint cadence, thread count). Everything else must match unless overridden.
    /// </summary>
    internal static readonly IReadOnlySet<string> OperationalFields = new HashSet<string>(StringComparer.Ordinal)
    {
        // Device is here like Threads: a run started on the CPU may continue on a GPU (same definition, other rounding).
        nameof(Threads), nameof(Device), nameof(LogEvery), nameof(CheckpointEvery), nameof(KeepCheckpoints), nameof(StallWarningSteps),
    };

    /// <summary>
    /// The official configuration (spec §4.2, <c>const_cl_pretrain_k400_200k.yaml</c>): 200 000 steps of momentum SGD
    /// (0.9, no Nesterov) at batch 1 024 with peak 40.96, 2 500 warm-up steps, cosine to 0, weight decay 1e-6, bf16.
    /// </summary>
    public static PretrainingOptions Paper => new()
    {
        Steps = 200_000,
        BatchSize = 1024,
        BaseLearningRate = 40.96,
        LearningRateScaling = LearningRateScaling.Linear,
        ReferenceBatchSize = 1024,
        WarmupSteps = 2500,
        Optimizer = OptimizerKind.Sgd,
        Momentum = 0.9,
        Nesterov = false,
        WeightDecay = 1e-6,
        GradientClipNorm = null,
        CheckpointEvery = 1000,
        KeepCheckpoints = 3,
        BFloat16 = true,
        LogEvery = 10,
        Model = ConstClModelOptions.Paper,
        Objective = new ConstClObjectiveOptions(),
    };

    /// <summary>
    /// The official recipe on <see cref="ConstClModelOptions.Tiny"/> (the official layout, narrow and short), for
    /// fidelity checks, the PyTorch comparison and fast tests: 200 steps of momentum SGD at batch 4 with 20 warm-up
    /// steps. The official peak per video (40.96 / 1 024 = 0.04) is kept, so batch 4 peaks at 0.16; float32, gradient
    /// norm clipped at 10 as a guard against the tiny model's early spikes, checkpoints every 50 steps. It does not
    /// learn in CPU budgets (docs/training.md, issue 11); the <c>tiny</c> preset is <see cref="Tiny"/>.
    /// </summary>
    public static PretrainingOptions TinyOfficial => new()
    {
        Steps = 200,
        BatchSize = 4,
        BaseLearningRate = 40.96,
        LearningRateScaling = LearningRateScaling.Linear,
        ReferenceBatchSize = 1024,
        WarmupSteps = 20,
        Optimizer = OptimizerKind.Sgd,
        Momentum = 0.9,
        Nesterov = false,
        WeightDecay = 1e-6,
        GradientClipNorm = 10.0,
        CheckpointEvery = 50,
        KeepCheckpoints = 3,
        Threads = 2,
        BFloat16 = false,
        LogEvery = 5,
        Model = ConstClModelOptions.Tiny,
        Objective = new ConstClObjectiveOptions(),
    };

    /// <summary>
    /// The <c>tiny</c> preset: the official 50-layer bottleneck layout with the small-compute departures measured in
    /// docs/training.md ("Tiny"): the <see cref="ConstClModelOptions.TinyPreset"/> network (frame differences and
    /// <see cref="ConstClModelOptions.Small"/>'s projection head on <see cref="ConstClModelOptions.Tiny"/>'s backbone) and <see cref="Small"/>'s recipe (AdamW, peak 1e-3 at any batch, decay
    /// 1e-4 on kernels, 10 % warm-up, cosine, no clipping, views at least 8 frames apart, flipped alike, cropped to
    /// 60–100 % at aspect 3/4–4/3, colour jitter and grayscale without blur or solarize) for 4 800 steps at batch 16
    /// (15–21 minutes on 2 CPU cores with videos in memory or from files through the frame cache,
    /// <see cref="Data.LoaderOptions.CacheDirectory"/>; about twice that decoding files at every use; at 2 400 it gained less on
    /// lossless videos and lost to random weights on XviD ones, at 1 200 one seed of three lost motion), the global loss
    /// only (ω = 0: the region loss lowered both probes at 300 steps and adds nothing measurable at 4 800, docs/training.md).
    /// The official recipe on the official Tiny network is <see cref="TinyOfficial"/>.
    /// </summary>
    public static PretrainingOptions Tiny => Small with
    {
        Steps = 4800,
        WarmupSteps = 480,
        CheckpointEvery = 400,
        Model = ConstClModelOptions.TinyPreset,
        Objective = new ConstClObjectiveOptions { LocalWeight = 0 },
    };

    /// <summary>
    /// The CPU-sized preset (departures from the official recipe, chosen by the sweeps in docs/training.md): the
    /// <see cref="ConstClModelOptions.Small"/> network, AdamW (peak 1e-3 at any batch, decoupled decay 1e-4 on kernels)
    /// with a 10 % warm-up and cosine decay, 600 steps at batch 16 (about 10 minutes on 2 CPU cores), no clipping; files decoded
    /// to short side 64 by an area filter before the crop (<see cref="DecodeAtInputSize"/>); views at least 8 source frames apart,
    /// flipped alike, cropped to 60–100 % of the frame at aspect 3/4–4/3 (official: 30–100 %, 1/2–2), with the official
    /// colour jitter and grayscale but no blur or solarize; ω = 0.01 (the paper's value).
    /// </summary>
    public static PretrainingOptions Small => new()
    {
        Steps = 600,
        BatchSize = 16,
        BaseLearningRate = 1e-3,
        LearningRateScaling = LearningRateScaling.None,
        ReferenceBatchSize = 1024,
        WarmupSteps = 60,
        Optimizer = OptimizerKind.AdamW,
        WeightDecay = 1e-4,
        GradientClipNorm = null,
        CheckpointEvery = 100,
        KeepCheckpoints = 3,
        Threads = 2,
        BFloat16 = false,
        LogEvery = 10,
        Model = ConstClModelOptions.Small,
        Objective = new ConstClObjectiveOptions { LocalWeight = 0.01 },
        MinimumViewGap = 8,
        DecodeAtInputSize = true,
        Augmentation = SmallComputeAugmentation,
    };

    /// <summary>
    /// The augmentation of the CPU presets (<see cref="Small"/>, <see cref="Tiny"/>): the official colour jitter and
    /// grayscale, views flipped alike, crops of 60–100 % at aspect 3/4–4/3 (official: 30–100 %, 1/2–2), no blur or
    /// solarize (at 64² the official blur erases a 10-pixel object).
    /// </summary>
    private static AugmentationOptions SmallComputeAugmentation => AugmentationOptions.Official with
    {
        FlipMode = FlipMode.Shared,
        CropAreaMin = 0.6f,
        CropAspectMin = 0.75f,
        CropAspectMax = 4f / 3,
        BlurProbabilityView1 = 0,
        BlurProbabilityView2 = 0,
        SolarizeProbabilityView1 = 0,
        SolarizeProbabilityView2 = 0,
    };

    /// <summary>The preset names <see cref="ForPreset"/> accepts: <c>small</c> (recommended on a CPU), <c>tiny</c>, <c>paper</c>.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["small", "tiny", "paper"];

    /// <summary>The preset of that name (case-insensitive): <see cref="Small"/>, <see cref="Tiny"/> or <see cref="Paper"/>.</summary>
    /// <param name="name">One of <see cref="PresetNames"/>.</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static PretrainingOptions ForPreset(string name) => (name ?? "").Trim().ToLowerInvariant() switch
    {
        "small" => Small,
        "tiny" => Tiny,
        "paper" => Paper,
        _ => throw new ArgumentException($"Unknown preset '{name}': expected one of {string.Join(", ", PresetNames)}.", nameof(name)),
    };

    /// <summary>
    /// These options run for <paramref name="steps"/> steps with the same warm-up share: <c>WarmupSteps</c> becomes
    /// <c>round(WarmupSteps · steps / Steps)</c> (the cosine still ends at the last step).
    /// </summary>
    /// <param name="steps">The new step count (at least 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1.</exception>
    public PretrainingOptions WithSteps(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return this with { Steps = steps, WarmupSteps = (int)Math.Round((double)WarmupSteps * steps / Steps) };
    }

    /// <summary>
    /// Checks every field and throws one <see cref="ArgumentException"/> that names each invalid field, what it holds
    /// and what was expected. Returns this instance for chaining.
    /// </summary>
    public PretrainingOptions Validate()
    {
        var errors = new List<string>();
        void Require(bool ok, string field, object? value, string expected)
        {
            if (!ok)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(PretrainingOptions)}.{field} = {value ?? "null"}: {expected}."));
            }
        }

        Require(Steps > 0, nameof(Steps), Steps, "must be a positive number of steps");
        Require(BatchSize > 0, nameof(BatchSize), BatchSize, "must be a positive number of videos");
        Require(double.IsFinite(BaseLearningRate) && BaseLearningRate > 0, nameof(BaseLearningRate), BaseLearningRate, "must be a finite positive number");
        Require(Enum.IsDefined(LearningRateScaling), nameof(LearningRateScaling), LearningRateScaling, "must be None or Linear");
        Require(ReferenceBatchSize > 0, nameof(ReferenceBatchSize), ReferenceBatchSize, "must be a positive number of videos");
        Require(WarmupSteps >= 0 && WarmupSteps <= Steps, nameof(WarmupSteps), WarmupSteps, $"must be between 0 and Steps ({Steps})");
        Require(Enum.IsDefined(Optimizer), nameof(Optimizer), Optimizer, "must be Sgd, Lars or AdamW");
        Require(AdamBeta1 is >= 0 and < 1, nameof(AdamBeta1), AdamBeta1, "must be in [0, 1)");
        Require(AdamBeta2 is >= 0 and < 1, nameof(AdamBeta2), AdamBeta2, "must be in [0, 1)");
        Require(double.IsFinite(AdamEpsilon) && AdamEpsilon > 0, nameof(AdamEpsilon), AdamEpsilon, "must be a finite positive number");
        Require(MinimumViewGap >= 0, nameof(MinimumViewGap), MinimumViewGap, "must be >= 0 source frames");
        Require(Momentum >= 0 && Momentum < 1, nameof(Momentum), Momentum, "must be in [0, 1)");
        Require(!Nesterov || Momentum > 0, nameof(Nesterov), Nesterov, "needs Momentum > 0");
        Require(double.IsFinite(LarsTrustCoefficient) && LarsTrustCoefficient > 0, nameof(LarsTrustCoefficient), LarsTrustCoefficient, "must be a finite positive number");
        Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "must be a finite number >= 0");
        Require(GradientClipNorm is null || (double.IsFinite(GradientClipNorm.Value) && GradientClipNorm > 0), nameof(GradientClipNorm), GradientClipNorm, "must be null (off) or a finite positive norm");
        Require(MaxConsecutiveNonFiniteSteps > 0, nameof(MaxConsecutiveNonFiniteSteps), MaxConsecutiveNonFiniteSteps, "must be at least 1");
        Require(CheckpointEvery > 0, nameof(CheckpointEvery), CheckpointEvery, "must be a positive number of steps");
        Require(KeepCheckpoints > 0, nameof(KeepCheckpoints), KeepCheckpoints, "must keep at least 1 checkpoint");
        Require(Threads > 0, nameof(Threads), Threads, "must be an explicit positive thread count");
        Require(LogEvery > 0, nameof(LogEvery), LogEvery, "must be a positive number of steps");
        Require(StallWarningSteps >= 0, nameof(StallWarningSteps), StallWarningSteps, "must be >= 0 (0 disables the warnings)");
        Require(double.IsFinite(PeakLearningRate), nameof(PeakLearningRate), PeakLearningRate, "must be finite");
        RequireNested(nameof(Model), () => (Model ?? throw new ArgumentNullException(nameof(Model), "must be set")).Validate());
        RequireNested(nameof(Objective), () => (Objective ?? throw new ArgumentNullException(nameof(Objective), "must be set")).Validate());
        RequireNested(nameof(Augmentation), () => (Augmentation ?? throw new ArgumentNullException(nameof(Augmentation), "must be set")).Validate());

        void RequireNested(string field, Action validate)
        {
            try
            {
                validate();
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{nameof(PretrainingOptions)}.{field}: {ex.Message}");
            }
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid pre-training options:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return this;
    }

    /// <summary>
    /// The loader settings this run defines: the model's clip shape (<see cref="LoaderOptions.Frames"/>,
    /// <see cref="LoaderOptions.Size"/>), <see cref="LoaderOptions.BatchSize"/>, <see cref="LoaderOptions.Seed"/>,
    /// <see cref="LoaderOptions.MinimumViewGap"/> and <see cref="LoaderOptions.Augmentation"/> all come from these options;
    /// everything else (threads, cache, skip report, decode limits) keeps its default and can be set with <c>with</c>.
    /// </summary>
    /// <returns>The loader options (these options are validated first).</returns>
    public LoaderOptions ToLoaderOptions()
    {
        Validate();
        return new LoaderOptions
        {
            Frames = Model.InputFrames,
            Size = Model.InputSize,
            BatchSize = BatchSize,
            Seed = (int)Seed,
            MinimumViewGap = MinimumViewGap,
            Augmentation = Augmentation,
            DecodeShortSide = DecodeAtInputSize ? Model.InputSize : 0,
        };
    }

    /// <summary>
    /// Value equality over the serialised form: the nested model options hold lists, which a record would compare by
    /// reference, so two option sets are equal exactly when their JSON (what a checkpoint stores) is equal.
    /// </summary>
    /// <param name="other">The options to compare with.</param>
    public bool Equals(PretrainingOptions? other) =>
        other is not null && (ReferenceEquals(this, other) || string.Equals(ToJson(), other.ToJson(), StringComparison.Ordinal));

    /// <summary>A hash of the serialised form, consistent with <see cref="Equals(PretrainingOptions)"/>.</summary>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToJson());

    /// <summary>Serialises these options as indented JSON (enums as names). The result round-trips through <see cref="FromJson"/>.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads options written by <see cref="ToJson"/>; unknown fields are an error (a typo must not be ignored).</summary>
    /// <param name="json">The JSON text.</param>
    public static PretrainingOptions FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonSerializer.Deserialize<PretrainingOptions>(json, JsonOptions)
                ?? throw new ArgumentException("The pre-training options JSON is 'null'.", nameof(json));
        }
        catch (JsonException ex)
        {
            // A converter's own message (a bad device) does not say where; System.Text.Json's do.
            var where = ex.Path is { } path && !ex.Message.Contains(path, StringComparison.Ordinal) ? $" (at {path})" : "";
            throw new ArgumentException($"The pre-training options JSON is invalid: {ex.Message}{where}", nameof(json), ex);
        }
    }

    internal static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter() },
        // Derived, get-only values (ResNet3dYOptions.OutputChannels, ConstClModelOptions.InputShape, …) are not options:
        // writing them would make the JSON disagree with itself after an edit and break the unknown-field check on read.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropGetOnlyProperties } },
    };

    /// <summary>Serialises model options the same way (used for the encoder file and the checkpoint options).</summary>
    internal static string ModelToJson(ConstClModelOptions model) => JsonSerializer.Serialize(model, JsonOptions);

    /// <summary>Reads model options written by <see cref="ModelToJson"/>.</summary>
    internal static ConstClModelOptions ModelFromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ConstClModelOptions>(json, JsonOptions)
                ?? throw new ArgumentException("The model options JSON is 'null'.", nameof(json));
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"The model options JSON is invalid: {ex.Message}", nameof(json), ex);
        }
    }

    private static void DropGetOnlyProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }
}

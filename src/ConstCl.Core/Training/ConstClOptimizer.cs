using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// Base of the pre-training optimisers: a TorchSharp optimiser (usable wherever <c>torch.optim.Optimizer</c> is)
/// whose per-parameter state is a fixed set of named slot tensors (one velocity for SGD and LARS; two moments for
/// AdamW), addressable by parameter name so checkpoints can store and verify it (<see cref="ExportState"/> /
/// <see cref="ImportState"/>). The learning rate is set from outside before each step (<see cref="LearningRate"/>),
/// because the schedule is a pure function of the step.
/// </summary>
public abstract class ConstClOptimizer : OptimizerHelper
{
    private readonly (string Name, Parameter Parameter)[] _named;
    private readonly Dictionary<IntPtr, SlotState> _slots = new();
    private readonly string[] _slotNames;

    /// <summary>Registers the parameters (in the given groups) and allocates zero slots for each.</summary>
    /// <param name="groups">Parameter groups: each a list of named parameters and whether the group is adapted (LARS) or decayed (AdamW).</param>
    /// <param name="momentum">Momentum coefficient in [0, 1).</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    /// <param name="slotNames">Names of the per-parameter state tensors (default: one "velocity").</param>
    private protected ConstClOptimizer(IReadOnlyList<(IReadOnlyList<(string Name, Parameter Parameter)> Parameters, bool Adapt)> groups, double momentum, bool nesterov, string[]? slotNames = null)
    {
        _slotNames = slotNames ?? ["velocity"];
        if (!double.IsFinite(momentum) || momentum < 0 || momentum >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1).");
        }

        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs momentum > 0.", nameof(nesterov));
        }

        Momentum = momentum;
        Nesterov = nesterov;
        _defaults = new GroupOptions { LearningRate = 0, InitialLearningRate = 0 };
        _parameter_groups = new List<ParamGroup>();
        var named = new List<(string, Parameter)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (parameters, adapt) in groups)
        {
            var array = parameters.Select(p => p.Parameter).ToArray();
            foreach (var (name, parameter) in parameters)
            {
                if (!names.Add(name))
                {
                    throw new ArgumentException($"Parameter name '{name}' appears twice; optimiser state is keyed by name.", nameof(groups));
                }

                var state = new SlotState(parameter) { Slots = _slotNames.Select(_ => torch.zeros(parameter.shape, dtype: parameter.dtype, device: parameter.device)).ToArray() };
                _slots[parameter.Handle] = state;
                _state[parameter.Handle] = state;
                named.Add((name, parameter));
            }

            _parameter_groups.Add(new ParamGroup { Parameters = array, Options = new GroupOptions { LearningRate = 0, InitialLearningRate = 0, Adapt = adapt } });
        }

        _named = named.ToArray();
    }

    /// <summary>Momentum coefficient.</summary>
    public double Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>Names of the optimised parameters, in registration order.</summary>
    public IReadOnlyList<string> ParameterNames => _named.Select(n => n.Name).ToArray();

    /// <summary>The learning rate of the next <see cref="step"/> (all groups). Set it from the schedule every step.</summary>
    public double LearningRate
    {
        get => _parameter_groups.Count == 0 ? 0 : _parameter_groups[0].LearningRate;
        set
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "LearningRate must be a finite number >= 0.");
            }

            foreach (var group in _parameter_groups)
            {
                group.LearningRate = value;
            }
        }
    }

    /// <summary>Builds the optimiser chosen by <paramref name="options"/> over the trainable parameters of <paramref name="model"/>.</summary>
    /// <param name="options">Validated options (optimizer kind, momentum, Nesterov, LARS trust coefficient).</param>
    /// <param name="model">The model whose trainable parameters are optimised.</param>
    public static ConstClOptimizer Create(PretrainingOptions options, nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(model);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToArray();
        return options.Optimizer switch
        {
            OptimizerKind.Sgd => new MomentumSgd(trainable, options.Momentum, options.Nesterov),
            OptimizerKind.Lars => Lars.ForModel(model, options.Momentum, options.LarsTrustCoefficient, options.Nesterov),
            OptimizerKind.AdamW => DecoupledAdamW.ForModel(model, options.AdamBeta1, options.AdamBeta2, options.AdamEpsilon, options.WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "PretrainingOptions.Optimizer must be Sgd, Lars or AdamW."),
        };
    }

    /// <summary>
    /// Whether the loss should carry the explicit L2 term <c>wd·Σ‖W‖²/2</c> over kernels (SGD and LARS, as the official
    /// code); false for optimisers that decay the weights themselves (AdamW's decoupled decay).
    /// </summary>
    public virtual bool UsesL2LossTerm => true;

    /// <summary>
    /// The optimiser state as CPU copies keyed <c>"{slot}/{parameter name}"</c> (<c>velocity/…</c> for SGD and LARS;
    /// <c>exp_avg/…</c>, <c>exp_avg_sq/…</c> and <c>adamw/updates</c> for AdamW). The caller owns and disposes them.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> ExportState()
    {
        // A scope even though every result leaves it: it holds the detach()/cpu() intermediates, which would otherwise be
        // owned by the finalizer alone and could be freed while clone() reads them (a segfault under GC pressure, seen
        // in ScalarStressTests when checkpoints are written outside the training step's scope).
        using var scope = torch.NewDisposeScope();
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in _named)
        {
            var slots = _slots[parameter.Handle].Slots!;
            for (var s = 0; s < _slotNames.Length; s++)
            {
                result[SlotKey(_slotNames[s], name)] = slots[s].detach().cpu().clone().MoveToOuterDisposeScope();
            }
        }

        foreach (var (key, value) in ExportExtraState())
        {
            result[key] = value.MoveToOuterDisposeScope();
        }

        return result;
    }

    /// <summary>State beyond the per-parameter slots (for example AdamW's update count), as new CPU tensors.</summary>
    private protected virtual IEnumerable<(string Key, Tensor Value)> ExportExtraState() => [];

    /// <summary>Keys and expected dtypes and shapes of the extra state, for <see cref="ImportState"/>'s checks.</summary>
    private protected virtual IReadOnlyDictionary<string, (ScalarType DType, long[] Shape)> ExtraStateShapes => new Dictionary<string, (ScalarType, long[])>();

    /// <summary>Restores the extra state (already checked for presence and shape).</summary>
    private protected virtual void ImportExtraState(IReadOnlyDictionary<string, Tensor> state)
    {
    }

    /// <summary>
    /// What keeps <paramref name="state"/> (names → dtype and shape, as <see cref="ExportState"/> writes them) from being
    /// imported: missing, unexpected or mis-shaped entries. Empty when <see cref="ImportState"/> would accept it.
    /// </summary>
    internal List<string> StateProblems(IReadOnlyDictionary<string, (ScalarType DType, long[] Shape)> state)
    {
        var problems = new List<string>();
        foreach (var (name, parameter) in _named)
        {
            var slots = _slots[parameter.Handle].Slots!;
            for (var s = 0; s < _slotNames.Length; s++)
            {
                var key = SlotKey(_slotNames[s], name);
                if (!state.TryGetValue(key, out var saved))
                {
                    problems.Add($"missing '{key}'");
                    continue;
                }

                if (!saved.Shape.SequenceEqual(slots[s].shape) || saved.DType != slots[s].dtype)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{key}' is {saved.DType}[{string.Join(",", saved.Shape)}], expected {slots[s].dtype}[{string.Join(",", slots[s].shape)}]"));
                }
            }
        }

        foreach (var (key, (dtype, shape)) in ExtraStateShapes)
        {
            if (!state.TryGetValue(key, out var saved))
            {
                problems.Add($"missing '{key}'");
            }
            else if (!saved.Shape.SequenceEqual(shape) || saved.DType != dtype)
            {
                problems.Add($"'{key}' is {saved.DType}[{string.Join(",", saved.Shape)}], expected {dtype}[{string.Join(",", shape)}]");
            }
        }

        var known = _named.SelectMany(n => _slotNames.Select(slot => SlotKey(slot, n.Name))).Concat(ExtraStateShapes.Keys).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(state.Keys.Where(k => !known.Contains(k)).Select(k => $"unexpected '{k}'"));
        return problems;
    }

    /// <summary>
    /// Restores state written by <see cref="ExportState"/>. Every parameter must have an entry of the same shape and
    /// dtype, and no extra entries may exist; otherwise nothing is changed and an exception names the mismatches.
    /// </summary>
    /// <param name="state">Tensors keyed <c>"{slot}/{parameter name}"</c> (see <see cref="ExportState"/>).</param>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = StateProblems(state.ToDictionary(kv => kv.Key, kv => (kv.Value.dtype, kv.Value.shape), StringComparer.Ordinal));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The optimiser state does not fit this {GetType().Name}: {string.Join("; ", problems)}.", nameof(state));
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in _named)
        {
            var slots = _slots[parameter.Handle].Slots!;
            for (var s = 0; s < _slotNames.Length; s++)
            {
                slots[s].copy_(state[SlotKey(_slotNames[s], name)]);
            }
        }

        ImportExtraState(state);
    }

    /// <summary>
    /// Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>) instead of zero-filling it: the next
    /// backward pass then allocates the gradients while it frees the activations, so a training step's peak memory no
    /// longer holds a full set of gradient buffers through the forward pass (Paper: 287 MB). The update is the same:
    /// backward stores <c>g</c> where it would have added <c>g</c> to zeros. (A parameter that receives no gradient in a step
    /// is skipped by <see cref="step"/>, as one that never had a gradient always was; in ConST-CL every trainable
    /// parameter that takes part in the objective receives one each step.)
    /// </summary>
    public override void zero_grad()
    {
        foreach (var (_, parameter) in _named)
        {
            parameter.grad = null;
        }
    }

    /// <summary>Performs one update with the current <see cref="LearningRate"/>; parameters without a gradient are skipped.</summary>
    /// <param name="closure">Optional closure re-evaluating the loss.</param>
    public override Tensor step(Func<Tensor>? closure = null)
    {
        BeginStep();
        return _step<ParamGroup>(group =>
        {
            var options = (GroupOptions)group.Options;
            var lr = options.LearningRate!.Value;
            foreach (var parameter in group.Parameters)
            {
                var grad = parameter.grad;
                if (grad is null)
                {
                    continue;
                }

                Update(parameter, grad, _slots[parameter.Handle].Slots!, lr, options.Adapt);
            }
        }, closure);
    }

    /// <summary>Called once at the start of every <see cref="step"/>, before any parameter is updated.</summary>
    private protected virtual void BeginStep()
    {
    }

    /// <summary>Applies one update in place (called under <c>no_grad</c> inside a dispose scope).</summary>
    /// <param name="parameter">The parameter to update in place.</param>
    /// <param name="grad">Its gradient (includes the L2 term's <c>wd·W</c> when the loss has one).</param>
    /// <param name="slots">Its state tensors in the order of the slot names (SGD/LARS: the velocity), updated in place.</param>
    /// <param name="learningRate">This step's learning rate.</param>
    /// <param name="adapt">Whether the parameter's group is adapted (LARS) or decayed (AdamW).</param>
    private protected abstract void Update(Parameter parameter, Tensor grad, Tensor[] slots, double learningRate, bool adapt);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var state in _slots.Values)
            {
                foreach (var slot in state.Slots ?? [])
                {
                    slot.Dispose();
                }

                state.Slots = null;
            }

            _slots.Clear();
            _state.Clear();
        }

        base.Dispose(disposing);
    }

    private static string SlotKey(string slot, string name) => slot + "/" + name;

    private sealed class GroupOptions : OptimizerOptions
    {
        public bool Adapt { get; init; }
    }

    private sealed class SlotState(Parameter parameter) : OptimizerState(parameter)
    {
        public Tensor[]? Slots;

        // Slots are allocated (zeros) when the parameter is registered, as Keras does at build time.
        public override void Initialize(OptimizerOptions options)
        {
        }

        public override void SaveStateDict(BinaryWriter writer)
        {
            foreach (var slot in Slots ?? [])
            {
                SaveConditionalStateTensor(writer, slot);
            }
        }

        public override void LoadStateDict(BinaryReader reader)
        {
            using var noGrad = torch.no_grad();
            foreach (var slot in Slots ?? [])
            {
                if (!reader.ReadBoolean())
                {
                    throw new InvalidDataException("Every optimiser slot tensor is required for every parameter.");
                }

                slot.Load(reader);
            }
        }

        public override void LoadStateDict(OptimizerState source)
        {
            if (source is not SlotState other || other.Slots is null || Slots is null || other.Slots.Length != Slots.Length)
            {
                throw new ArgumentException("The source optimiser state is not a ConstCl state of the same kind.", nameof(source));
            }

            using var noGrad = torch.no_grad();
            for (var i = 0; i < Slots.Length; i++)
            {
                Slots[i].copy_(other.Slots[i]);
            }
        }

        public override void to(Device device)
        {
            if (Slots is null)
            {
                return;
            }

            for (var i = 0; i < Slots.Length; i++)
            {
                var moved = Slots[i].to(device);
                if (!ReferenceEquals(moved, Slots[i]))
                {
                    Slots[i].Dispose();
                    Slots[i] = moved;
                }
            }
        }
    }
}

using System.Globalization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// Base of the pre-training optimisers: a TorchSharp optimiser (usable wherever <c>torch.optim.Optimizer</c> is)
/// whose per-parameter state is one velocity tensor, addressable by parameter name so checkpoints can store and
/// verify it (<see cref="ExportState"/> / <see cref="ImportState"/>). The learning rate is set from outside before
/// each step (<see cref="LearningRate"/>), because the schedule is a pure function of the step.
/// </summary>
public abstract class ConstClOptimizer : OptimizerHelper
{
    private readonly (string Name, Parameter Parameter)[] _named;
    private readonly Dictionary<IntPtr, VelocityState> _velocities = new();

    /// <summary>Registers the parameters (in the given groups) and allocates a zero velocity for each.</summary>
    /// <param name="groups">Parameter groups: each a list of named parameters and whether LARS adapts them.</param>
    /// <param name="momentum">Momentum coefficient in [0, 1).</param>
    /// <param name="nesterov">Nesterov momentum.</param>
    private protected ConstClOptimizer(IReadOnlyList<(IReadOnlyList<(string Name, Parameter Parameter)> Parameters, bool Adapt)> groups, double momentum, bool nesterov)
    {
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

                var state = new VelocityState(parameter) { Velocity = torch.zeros(parameter.shape, dtype: parameter.dtype, device: parameter.device) };
                _velocities[parameter.Handle] = state;
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
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimizer, "PretrainingOptions.Optimizer must be Sgd or Lars."),
        };
    }

    /// <summary>
    /// The optimiser state as CPU copies keyed <c>"velocity/{parameter name}"</c> (the caller owns and disposes them).
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> ExportState()
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, parameter) in _named)
        {
            result[VelocityKey(name)] = _velocities[parameter.Handle].Velocity!.detach().cpu().clone();
        }

        return result;
    }

    /// <summary>
    /// Restores state written by <see cref="ExportState"/>. Every parameter must have an entry of the same shape and
    /// dtype, and no extra entries may exist; otherwise nothing is changed and an exception names the mismatches.
    /// </summary>
    /// <param name="state">Tensors keyed <c>"velocity/{parameter name}"</c>.</param>
    public void ImportState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var problems = new List<string>();
        foreach (var (name, parameter) in _named)
        {
            var key = VelocityKey(name);
            if (!state.TryGetValue(key, out var saved))
            {
                problems.Add($"missing '{key}'");
                continue;
            }

            var velocity = _velocities[parameter.Handle].Velocity!;
            if (!saved.shape.SequenceEqual(velocity.shape) || saved.dtype != velocity.dtype)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{key}' is {saved.dtype}[{string.Join(",", saved.shape)}], expected {velocity.dtype}[{string.Join(",", velocity.shape)}]"));
            }
        }

        var known = _named.Select(n => VelocityKey(n.Name)).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(state.Keys.Where(k => !known.Contains(k)).Select(k => $"unexpected '{k}'"));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"The optimiser state does not fit this {GetType().Name}: {string.Join("; ", problems)}.", nameof(state));
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, parameter) in _named)
        {
            _velocities[parameter.Handle].Velocity!.copy_(state[VelocityKey(name)]);
        }
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

                Update(parameter, grad, _velocities[parameter.Handle].Velocity!, lr, options.Adapt);
            }
        }, closure);
    }

    /// <summary>Applies one update in place (called under <c>no_grad</c> inside a dispose scope).</summary>
    /// <param name="parameter">The parameter to update in place.</param>
    /// <param name="grad">Its gradient (includes the L2 term's <c>wd·W</c> when the loss has one).</param>
    /// <param name="velocity">Its velocity, updated in place.</param>
    /// <param name="learningRate">This step's learning rate.</param>
    /// <param name="adapt">Whether the parameter's group takes layer-wise adaptation (LARS).</param>
    private protected abstract void Update(Parameter parameter, Tensor grad, Tensor velocity, double learningRate, bool adapt);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var state in _velocities.Values)
            {
                state.Velocity?.Dispose();
                state.Velocity = null;
            }

            _velocities.Clear();
            _state.Clear();
        }

        base.Dispose(disposing);
    }

    private static string VelocityKey(string name) => "velocity/" + name;

    private sealed class GroupOptions : OptimizerOptions
    {
        public bool Adapt { get; init; }
    }

    private sealed class VelocityState(Parameter parameter) : OptimizerState(parameter)
    {
        public Tensor? Velocity;

        // Velocities are allocated (zeros) when the parameter is registered, as Keras does at build time.
        public override void Initialize(OptimizerOptions options)
        {
        }

        public override void SaveStateDict(BinaryWriter writer) => SaveConditionalStateTensor(writer, Velocity);

        public override void LoadStateDict(BinaryReader reader)
        {
            var hasTensor = reader.ReadBoolean();
            if (!hasTensor || Velocity is null)
            {
                throw new InvalidDataException("A velocity tensor is required for every parameter.");
            }

            using var noGrad = torch.no_grad();
            Velocity.Load(reader);
        }

        public override void LoadStateDict(OptimizerState source)
        {
            if (source is not VelocityState other || other.Velocity is null || Velocity is null)
            {
                throw new ArgumentException("The source optimiser state is not a ConstCl velocity state.", nameof(source));
            }

            using var noGrad = torch.no_grad();
            Velocity.copy_(other.Velocity);
        }

        public override void to(Device device)
        {
            if (Velocity is not null)
            {
                var moved = Velocity.to(device);
                if (!ReferenceEquals(moved, Velocity))
                {
                    Velocity.Dispose();
                    Velocity = moved;
                }
            }
        }
    }
}

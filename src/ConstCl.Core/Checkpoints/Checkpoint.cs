using System.Text;
using System.Text.Json;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Checkpoints;

/// <summary>
/// A verified checkpoint read from disk: step, options, model state, optimiser velocities, RNG states and the data
/// sampler position. Every section's SHA-256 was checked when it was read. Dispose it after
/// <see cref="Restore"/> to free its tensors.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    internal static readonly byte[] Magic = "CCLCKPT\0"u8.ToArray();
    internal const int FormatVersion = 1;
    internal const string MetaSection = "meta";
    internal const string OptionsSection = "options";
    internal const string ModelSection = "model";
    internal const string OptimizerSection = "optimizer";
    internal const string TorchRngSection = "rng.torch";
    internal const string ManagedRngSection = "rng.managed";
    internal const string SamplerSection = "sampler";

    private Dictionary<string, Tensor>? _model;
    private Dictionary<string, Tensor>? _optimizer;

    private Checkpoint(string path)
    {
        Path = path;
    }

    /// <summary>The file this checkpoint was read from.</summary>
    public string Path { get; }

    /// <summary>Steps completed; the resumed run continues at this step.</summary>
    public int Step { get; private set; }

    /// <summary>The learning rate of the next step when it was written (informational).</summary>
    public double LearningRate { get; private set; }

    /// <summary>When it was written (UTC).</summary>
    public DateTimeOffset CreatedUtc { get; private set; }

    /// <summary>The run's options as written (JSON).</summary>
    public string OptionsJson { get; private set; } = "";

    /// <summary>SHA-256 (hex) of <see cref="OptionsJson"/>'s UTF-8 bytes.</summary>
    public string OptionsSha256 { get; private set; } = "";

    /// <summary>SHA-256 (hex) of the serialised model state (names, dtypes, shapes and bytes), verified on read.</summary>
    public string WeightsSha256 { get; private set; } = "";

    /// <summary>The optimiser type that wrote the velocities, or null when none were saved.</summary>
    public string? OptimizerType { get; private set; }

    /// <summary>The data sampler position given at save time (empty when none).</summary>
    public byte[] SamplerPosition { get; private set; } = [];

    /// <summary>Names of the saved model tensors (state dict keys).</summary>
    public IReadOnlyCollection<string> ModelStateNames => Live(_model).Keys.ToArray();

    internal IReadOnlyDictionary<string, Tensor> ModelState => Live(_model);

    internal IReadOnlyDictionary<string, Tensor>? OptimizerState => _optimizer;

    internal byte[]? TorchRngState { get; private set; }

    internal byte[]? ManagedRngState { get; private set; }

    /// <summary>
    /// Throws <see cref="OptionsMismatchException"/> listing every differing field unless <paramref name="current"/>
    /// equals the saved options (operational fields such as thread count and logging cadence may differ) or
    /// <paramref name="allowDifferentOptions"/> is set.
    /// </summary>
    /// <param name="current">The options of the run that wants to resume.</param>
    /// <param name="allowDifferentOptions">Resume anyway (explicit override).</param>
    /// <returns>The differences found (empty when identical), also when they were allowed.</returns>
    public IReadOnlyList<OptionsDifference> EnsureCompatible(PretrainingOptions current, bool allowDifferentOptions = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        var differences = OptionsDiff.Compare(OptionsJson, current.ToJson(), PretrainingOptions.OperationalFields);
        if (differences.Count > 0 && !allowDifferentOptions)
        {
            throw new OptionsMismatchException(Path, differences);
        }

        return differences;
    }

    /// <summary>
    /// Restores the saved state into live objects: the model's parameters and buffers, the optimiser's velocities,
    /// the managed and torch generators. Shapes and names must match exactly.
    /// </summary>
    /// <param name="model">The model to load (same architecture).</param>
    /// <param name="optimizer">The optimiser (same type and parameters), or null to skip.</param>
    /// <param name="managedRandom">The managed generator to restore, or null to skip.</param>
    /// <param name="torchGenerator">The torch generator to restore; null restores libtorch's default CPU generator.</param>
    public void Restore(nn.Module model, ConstClOptimizer? optimizer = null, DeterministicRandom? managedRandom = null, Generator? torchGenerator = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        NamedTensorCodec.LoadInto(model, ModelState, $"checkpoint '{Path}'");
        if (optimizer is not null)
        {
            if (_optimizer is null)
            {
                throw new InvalidOperationException($"The checkpoint '{Path}' holds no optimiser state.");
            }

            if (OptimizerType != optimizer.GetType().Name)
            {
                throw new InvalidOperationException($"The checkpoint '{Path}' holds {OptimizerType} state; the run uses {optimizer.GetType().Name}.");
            }

            optimizer.ImportState(_optimizer);
        }

        if (managedRandom is not null)
        {
            managedRandom.SetState(ManagedRngState ?? throw new InvalidOperationException($"The checkpoint '{Path}' holds no managed RNG state."));
        }

        if (TorchRngState is not null)
        {
            using var state = torch.tensor(TorchRngState, dtype: ScalarType.Byte);
            if (torchGenerator is null)
            {
                torch.set_rng_state(state);
            }
            else
            {
                torchGenerator.set_state(state);
            }
        }
    }

    /// <summary>Reads and verifies a checkpoint file; throws <see cref="CorruptFileException"/> when it fails verification.</summary>
    /// <param name="path">The checkpoint file.</param>
    public static Checkpoint Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var (_, sections) = SectionContainer.Read(stream, path, Magic, FormatVersion);
        var checkpoint = new Checkpoint(path);
        try
        {
            SectionContainer.Section Require(string name) =>
                sections.TryGetValue(name, out var s) ? s : throw new CorruptFileException(path, $"section '{name}' is missing");

            var meta = JsonSerializer.Deserialize<Meta>(Require(MetaSection).Payload)
                ?? throw new CorruptFileException(path, "section 'meta' is empty");
            checkpoint.Step = meta.Step;
            checkpoint.LearningRate = meta.LearningRate;
            checkpoint.CreatedUtc = meta.CreatedUtc;
            checkpoint.OptimizerType = meta.OptimizerType;
            var options = Require(OptionsSection);
            checkpoint.OptionsJson = Encoding.UTF8.GetString(options.Payload);
            checkpoint.OptionsSha256 = options.Sha256;
            var model = Require(ModelSection);
            checkpoint.WeightsSha256 = model.Sha256;
            checkpoint._model = NamedTensorCodec.Read(model.Payload, "model");
            if (sections.TryGetValue(OptimizerSection, out var optimizer))
            {
                checkpoint._optimizer = NamedTensorCodec.Read(optimizer.Payload, "optimizer");
            }

            checkpoint.TorchRngState = sections.TryGetValue(TorchRngSection, out var torchRng) ? torchRng.Payload : null;
            checkpoint.ManagedRngState = sections.TryGetValue(ManagedRngSection, out var managedRng) ? managedRng.Payload : null;
            checkpoint.SamplerPosition = sections.TryGetValue(SamplerSection, out var sampler) ? sampler.Payload : [];
            return checkpoint;
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException)
        {
            checkpoint.Dispose();
            throw new CorruptFileException(path, ex.Message, ex);
        }
        catch
        {
            checkpoint.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="snapshot"/> in checkpoint format to a seekable stream.</summary>
    internal static void Write(Stream output, CheckpointSnapshot snapshot)
    {
        var optionsJson = snapshot.Options.ToJson();
        var meta = new Meta(snapshot.Step, snapshot.LearningRate, DateTimeOffset.UtcNow, snapshot.Optimizer?.GetType().Name);
        var sections = new List<(string, Action<Stream>)>
        {
            (MetaSection, s => JsonSerializer.Serialize(s, meta)),
            (OptionsSection, s => s.Write(Encoding.UTF8.GetBytes(optionsJson))),
            (ModelSection, s => NamedTensorCodec.Write(s, snapshot.Model.state_dict())),
        };
        if (snapshot.Optimizer is not null)
        {
            sections.Add((OptimizerSection, s =>
            {
                var state = snapshot.Optimizer.ExportState();
                try
                {
                    NamedTensorCodec.Write(s, state);
                }
                finally
                {
                    foreach (var t in state.Values)
                    {
                        t.Dispose();
                    }
                }
            }));
        }

        sections.Add((TorchRngSection, s =>
        {
            using var state = snapshot.TorchGenerator is null ? torch.get_rng_state() : snapshot.TorchGenerator.get_state();
            s.Write(state.data<byte>().ToArray());
        }));
        if (snapshot.ManagedRandom is not null)
        {
            sections.Add((ManagedRngSection, s => s.Write(snapshot.ManagedRandom.GetState())));
        }

        if (snapshot.SamplerPosition is not null)
        {
            sections.Add((SamplerSection, s => s.Write(snapshot.SamplerPosition)));
        }

        SectionContainer.Write(output, Magic, FormatVersion, sections);
    }

    /// <summary>Frees the loaded tensors.</summary>
    public void Dispose()
    {
        foreach (var t in (_model?.Values ?? Enumerable.Empty<Tensor>()).Concat(_optimizer?.Values ?? Enumerable.Empty<Tensor>()))
        {
            t.Dispose();
        }

        _model = null;
        _optimizer = null;
    }

    private IReadOnlyDictionary<string, Tensor> Live(Dictionary<string, Tensor>? tensors) =>
        tensors ?? throw new ObjectDisposedException(nameof(Checkpoint), $"The checkpoint '{Path}' was disposed.");

    private sealed record Meta(int Step, double LearningRate, DateTimeOffset CreatedUtc, string? OptimizerType);
}

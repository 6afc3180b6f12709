using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using ConstCl.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Training;

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
    /// <remarks>
    /// A field added to the options after the checkpoint was written reads as its record default (new fields default to
    /// the behaviour that existed before them), so such a checkpoint resumes unless the current run sets that field to
    /// something else.
    /// </remarks>
    public IReadOnlyList<OptionsDifference> EnsureCompatible(PretrainingOptions current, bool allowDifferentOptions = false)
    {
        ArgumentNullException.ThrowIfNull(current);
        var differences = OptionsDiff.Compare(SavedOptionsWithDefaults(), current.ToJson(), PretrainingOptions.OperationalFields);
        if (differences.Count > 0 && !allowDifferentOptions)
        {
            throw new OptionsMismatchException(Path, differences);
        }

        return differences;
    }

    // The saved options read back and written again: fields they predate appear with their defaults. Saved options this
    // library cannot read (a field it does not know) are compared as written, so the difference is reported, not thrown.
    private string SavedOptionsWithDefaults()
    {
        try
        {
            return PretrainingOptions.FromJson(OptionsJson).ToJson();
        }
        catch (ArgumentException)
        {
            return OptionsJson;
        }
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
        EnsureTorchRngStateValid();   // first: nothing may change when it is bad
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

    /// <summary>
    /// Throws <see cref="CorruptFileException"/> unless <see cref="Restore"/> into <paramref name="optimizer"/> and
    /// <paramref name="managedRandom"/> (and libtorch's default generator) would succeed: it changes nothing, so a caller
    /// can try an older checkpoint instead without leaving a half-restored state behind. (The model is checked by
    /// <see cref="Read(string, nn.Module?)"/>.)
    /// </summary>
    internal void EnsureRestorable(ConstClOptimizer? optimizer, DeterministicRandom? managedRandom)
    {
        if (optimizer is not null)
        {
            if (_optimizer is null || OptimizerType != optimizer.GetType().Name)
            {
                throw new CorruptFileException(Path, $"it holds {(_optimizer is null ? "no optimiser state" : $"{OptimizerType ?? "unnamed"} state")}; the run uses {optimizer.GetType().Name}");
            }

            var problems = optimizer.StateProblems(_optimizer.ToDictionary(kv => kv.Key, kv => (kv.Value.dtype, kv.Value.shape), StringComparer.Ordinal));
            if (problems.Count > 0)
            {
                throw new CorruptFileException(Path, $"section '{OptimizerSection}' does not fit the {optimizer.GetType().Name}: {string.Join("; ", problems.Take(20))}");
            }
        }

        if (managedRandom is not null && (ManagedRngState?.Length != DeterministicRandom.StateSize || ManagedRngState.All(b => b == 0)))
        {
            throw new CorruptFileException(Path, $"section '{ManagedRngSection}' is not a generator state ({ManagedRngState?.Length ?? 0} bytes; a valid one has {DeterministicRandom.StateSize}, not all zero)");
        }

        EnsureTorchRngStateValid();
    }

    // libtorch aborts the whole process (an uncaught c10::Error: "Invalid mt19937 state") on a state it rejects, so the
    // checks of CPUGeneratorImpl::set_state are repeated here first. Layout (ATen/CPUGeneratorImpl.h, 5056 bytes):
    // the_initial_seed:u64 | left:i32 | seeded:i32 | next:u64 | state:u64[624] | normal_x, normal_y, normal_rho:f64 |
    // normal_is_valid:i32 | (padding) | next_float_normal_sample:f32 | is_next_float_normal_sample_valid:bool | (padding).
    private void EnsureTorchRngStateValid()
    {
        if (TorchRngState is not { } state)
        {
            return;
        }

        const int MersenneStateN = 624;
        using var current = torch.get_rng_state();
        if (state.Length != current.numel())
        {
            throw new CorruptFileException(Path, $"section '{TorchRngSection}' holds {state.Length} bytes; libtorch's generator state has {current.numel()}");
        }

        var left = BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(8));
        var seeded = BinaryPrimitives.ReadInt32LittleEndian(state.AsSpan(12));
        var next = (uint)BinaryPrimitives.ReadUInt64LittleEndian(state.AsSpan(16));
        if (seeded == 0 || left < 1 || left > MersenneStateN || next > MersenneStateN)
        {
            throw new CorruptFileException(Path, $"section '{TorchRngSection}' is not a valid mt19937 state (left {left}, seeded {seeded}, next {next})");
        }
    }

    /// <summary>
    /// Reads and verifies a checkpoint file; throws <see cref="CorruptFileException"/> when it fails verification: framing
    /// or checksum, a malformed tensor header (unknown dtype, bad shape, byte count that disagrees), a NaN or ±Infinity
    /// in a saved tensor, or implausible metadata (negative step, non-finite learning rate, options that are not JSON).
    /// </summary>
    /// <param name="path">The checkpoint file.</param>
    public static Checkpoint Read(string path) => Read(path, model: null);

    /// <summary>
    /// <see cref="Read(string)"/>, and with <paramref name="model"/> the saved model state must have exactly its names,
    /// dtypes and shapes (checked before any tensor is allocated); otherwise <see cref="CorruptFileException"/>.
    /// </summary>
    internal static Checkpoint Read(string path, nn.Module? model)
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
            if (meta.Step < 0)
            {
                throw new CorruptFileException(path, $"section 'meta': step {meta.Step} is negative");
            }

            if (!double.IsFinite(meta.LearningRate))
            {
                throw new CorruptFileException(path, $"section 'meta': the learning rate {meta.LearningRate} is not finite");
            }

            checkpoint.Step = meta.Step;
            checkpoint.LearningRate = meta.LearningRate;
            checkpoint.CreatedUtc = meta.CreatedUtc;
            checkpoint.OptimizerType = meta.OptimizerType;
            var options = Require(OptionsSection);
            checkpoint.OptionsJson = Encoding.UTF8.GetString(options.Payload);
            checkpoint.OptionsSha256 = options.Sha256;
            using (var parsed = JsonDocument.Parse(options.Payload))
            {
                if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new CorruptFileException(path, "section 'options' is not a JSON object");
                }
            }

            var state = Require(ModelSection);
            checkpoint.WeightsSha256 = state.Sha256;
            checkpoint._model = NamedTensorCodec.Read(state.Payload, ModelSection, model?.state_dict(), model?.GetType().Name);
            if (sections.TryGetValue(OptimizerSection, out var optimizer))
            {
                checkpoint._optimizer = NamedTensorCodec.Read(optimizer.Payload, OptimizerSection);
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

using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// Everything a checkpoint captures at a step boundary (after the update of step <see cref="Step"/> − 1, before the
/// update of step <see cref="Step"/>). Nothing is copied until <see cref="CheckpointStore.Save"/> writes it.
/// </summary>
public sealed record CheckpointSnapshot
{
    /// <summary>Steps completed: the step the resumed run starts at.</summary>
    public required int Step { get; init; }

    /// <summary>The model; its full state dict (parameters and buffers) is saved.</summary>
    public required nn.Module Model { get; init; }

    /// <summary>The run's options (saved as JSON with its SHA-256; resume compares them).</summary>
    public required PretrainingOptions Options { get; init; }

    /// <summary>The optimiser whose velocities are saved; null saves none.</summary>
    public ConstClOptimizer? Optimizer { get; init; }

    /// <summary>The managed generator of the run (augmentation, sampling); null saves none.</summary>
    public DeterministicRandom? ManagedRandom { get; init; }

    /// <summary>The torch generator to save; null saves libtorch's default CPU generator (<c>torch.get_rng_state()</c>).</summary>
    public Generator? TorchGenerator { get; init; }

    /// <summary>Opaque position of the data sampler (epoch, permutation index, …), restored verbatim.</summary>
    public byte[]? SamplerPosition { get; init; }

    /// <summary>The learning rate of the next step (informational: the schedule recomputes it from the step).</summary>
    public double LearningRate { get; init; }
}

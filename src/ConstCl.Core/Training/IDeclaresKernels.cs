using TorchSharp.Modules;

namespace ConstCl.Training;

/// <summary>
/// Implemented by a custom module that owns kernel parameters directly (not through a <c>Conv*d</c> or
/// <c>Linear</c> child), so that <see cref="KernelWeightDecay"/> and LARS layer adaptation include them.
/// </summary>
public interface IDeclaresKernels
{
    /// <summary>The module's own kernel parameters (weights of convolutions or dense maps; never biases or norms).</summary>
    IEnumerable<Parameter> KernelParameters { get; }
}

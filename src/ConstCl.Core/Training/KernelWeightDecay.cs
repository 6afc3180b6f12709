using ConstCl.Ops;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Training;

/// <summary>
/// The official weight decay (spec §4.1): an explicit loss term <c>weightDecay · Σ‖W‖²/2</c> over every trainable
/// convolution and dense <b>kernel</b>, and nothing else (no biases, no BatchNorm/LayerNorm γ/β). Kernels are chosen
/// by module type while walking <c>named_modules()</c>: the <c>weight</c> of <c>Conv1d/2d/3d</c>,
/// <c>ConvTranspose1d/2d/3d</c> (all <c>Convolution</c>s), <c>Linear</c> and <c>Bilinear</c>; the input projections of
/// <c>MultiheadAttention</c>; and whatever a module implementing <see cref="IDeclaresKernels"/> declares.
/// </summary>
public sealed class KernelWeightDecay
{
    private static readonly string[] AttentionKernelNames = ["in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"];
    private readonly Parameter[] _kernels;

    /// <summary>Selects the kernels of <paramref name="root"/> once; <see cref="Compute"/> then costs one fused sum.</summary>
    /// <param name="root">The model (its trainable parameters are searched).</param>
    /// <param name="weightDecay">The L2 weight (official 1e-6), &gt;= 0.</param>
    public KernelWeightDecay(nn.Module root, double weightDecay)
    {
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be a finite number >= 0.");
        }

        var selected = SelectKernels(root);
        Names = selected.Select(s => s.Name).ToArray();
        _kernels = selected.Select(s => s.Parameter).ToArray();
        WeightDecay = weightDecay;
    }

    /// <summary>The L2 weight.</summary>
    public double WeightDecay { get; }

    /// <summary>Fully qualified names of the selected kernels, in <c>named_parameters()</c> order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The selected kernel parameters.</summary>
    public IReadOnlyList<Parameter> Kernels => _kernels;

    /// <summary>
    /// <c>WeightDecay · Σ‖W‖²/2</c> as a float32 scalar tensor <c>[]</c> that takes part in autograd (its gradient is
    /// <c>WeightDecay · W</c>). Zero (and no graph) when the weight is 0 or nothing was selected.
    /// </summary>
    public Tensor Compute()
    {
        if (WeightDecay == 0 || _kernels.Length == 0)
        {
            return torch.zeros(Array.Empty<long>(), dtype: ScalarType.Float32, device: _kernels.Length > 0 ? _kernels[0].device : null);
        }

        using var scope = torch.NewDisposeScope();
        using var half = (WeightDecay / 2.0).ToScalar();   // alive until the end (see Ops.Scalars)
        var sum = torch.stack(_kernels.Select(k => Scalars.Square(k.to_type(ScalarType.Float32)).sum()).ToArray()).sum();
        return sum.mul(half).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The trainable kernel parameters of <paramref name="root"/> with their fully qualified names, in
    /// <c>named_parameters()</c> order. Decided by module type, not by parameter names.
    /// </summary>
    /// <param name="root">The module to search.</param>
    public static IReadOnlyList<(string Name, Parameter Parameter)> SelectKernels(nn.Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var kernelHandles = new HashSet<IntPtr>();
        foreach (var module in new[] { root }.Concat(root.named_modules().Select(m => m.module)))
        {
            foreach (var kernel in KernelsOf(module))
            {
                kernelHandles.Add(kernel.Handle);
            }
        }

        return root.named_parameters()
            .Where(p => p.parameter.requires_grad && kernelHandles.Contains(p.parameter.Handle))
            .Select(p => (p.name, p.parameter))
            .ToArray();
    }

    private static IEnumerable<Parameter> KernelsOf(nn.Module module)
    {
        Parameter? weight = module switch
        {
            Convolution conv => conv.weight,
            Linear linear => linear.weight,
            Bilinear bilinear => bilinear.weight,
            _ => null,
        };
        if (weight is not null)
        {
            yield return weight;
        }

        if (module is MultiheadAttention)
        {
            foreach (var (name, parameter) in module.named_parameters(recurse: false))
            {
                if (AttentionKernelNames.Contains(name))
                {
                    yield return parameter;
                }
            }
        }

        if (module is IDeclaresKernels declared)
        {
            foreach (var parameter in declared.KernelParameters)
            {
                yield return parameter;
            }
        }
    }
}

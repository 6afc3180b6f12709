using TorchSharp.Utils;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// MLP of <c>n × [Linear → BatchNorm1d → ReLU] → Linear(bias)</c> (official <c>heads/simple.py:MLP</c>):
/// <c>[N, Cin] → [N, Cout]</c>. Used by the global head, the CVRL baseline head and the vanilla region head.
/// </summary>
internal sealed class ProjectionMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "linears")]
    private readonly ModuleList<Linear> _linears;
    [ComponentName(Name = "norms")]
    private readonly ModuleList<SafeBatchNorm> _norms;
    [ComponentName(Name = "output")]
    private readonly Linear _output;

    internal ProjectionMlp(IList<Linear> linears, IList<SafeBatchNorm> norms, Linear output)
        : base(nameof(ProjectionMlp))
    {
        if (linears.Count != norms.Count)
        {
            throw new ArgumentException($"Every hidden Linear needs one BatchNorm; got {linears.Count} and {norms.Count}.", nameof(norms));
        }

        _linears = nn.ModuleList(linears.ToArray());
        _norms = nn.ModuleList(norms.ToArray());
        _output = output;
        RegisterComponents();
    }

    /// <summary>Builds the MLP with Keras Dense initialisation (glorot-uniform, zero biases).</summary>
    public static ProjectionMlp Create(
        long inputChannels, int hiddenChannels, int hiddenLayers, int outputChannels, bool hiddenBias, double momentum, double epsilon, Generator generator)
    {
        var linears = new List<Linear>();
        var norms = new List<SafeBatchNorm>();
        var channels = inputChannels;
        for (var i = 0; i < hiddenLayers; i++)
        {
            linears.Add(ParameterInit.Dense(channels, hiddenChannels, hiddenBias, generator));
            norms.Add(SafeBatchNorm.Create1d(hiddenChannels, eps: epsilon, momentum: momentum));
            channels = hiddenChannels;
        }

        return new ProjectionMlp(linears, norms, ParameterInit.Dense(channels, outputChannels, bias: true, generator));
    }

    /// <summary><c>[N, Cin] → hidden [N, Ch] ×n → [N, Cout]</c>.</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        for (var i = 0; i < _linears.Count; i++)
        {
            h = nn.functional.relu(_norms[i].forward(_linears[i].forward(h)));   // [N, Ch]
        }

        return _output.forward(h).MoveToOuterDisposeScope();                   // [N, Cout]
    }
}

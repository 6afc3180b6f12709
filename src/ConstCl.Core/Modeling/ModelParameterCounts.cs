using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// Trainable parameter counts (kernels, biases, BN/LN γ and β; no BN running statistics), spec §7.
/// Paper: backbone 31,672,128; res5_local 20,207,616; global head 12,857,472; local head 6,928,356;
/// total 71,665,572; CVRL baseline (backbone + CVRL MLP) 44,535,744.
/// </summary>
/// <param name="Backbone">Stem + res2..res5 (one res5 branch): the CVRL R3D-50.</param>
/// <param name="Res5Local">The second res5 branch.</param>
/// <param name="GlobalHead">Global projection MLP.</param>
/// <param name="LocalHead">Region head (decoder, projection and positional MLPs; or the vanilla MLP).</param>
/// <param name="Total">Everything ConST-CL trains.</param>
/// <param name="CvrlBaseline">Backbone + CVRL's projection MLP (hidden biases): the CVRL model of the same width.</param>
public sealed record ModelParameterCounts(long Backbone, long Res5Local, long GlobalHead, long LocalHead, long Total, long CvrlBaseline)
{
    /// <summary>Counts a built model; the CVRL baseline head is built (and disposed) to be counted.</summary>
    public static ModelParameterCounts Of(ConstClModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var res5Local = Count(model.Backbone.named_parameters().Where(p => p.name.StartsWith("res5_local.", StringComparison.Ordinal)).Select(p => p.parameter));
        var backbone = Count(model.Backbone.parameters()) - res5Local;
        var globalHead = Count(model.GlobalHead.parameters());
        var localHead = Count(model.LocalHead.parameters());
        long cvrlHead;
        using (var generator = new Generator(0))
        using (var head = GlobalProjectionHead.Create(model.Options.GlobalHead.AsCvrlVariant(), model.Backbone.OutputChannels, generator))
        {
            cvrlHead = Count(head.parameters());
        }

        return new ModelParameterCounts(backbone, res5Local, globalHead, localHead, Count(model.parameters()), backbone + cvrlHead);
    }

    /// <summary>Builds the model of <paramref name="options"/> (on the CPU), counts it and disposes it.</summary>
    public static ModelParameterCounts For(ConstClModelOptions options)
    {
        using var model = ConstClModel.Create(options, seed: 0);
        return Of(model);
    }

    private static long Count(IEnumerable<TorchSharp.Modules.Parameter> parameters) => parameters.Where(p => p.requires_grad).Sum(p => p.numel());
}

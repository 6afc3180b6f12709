using ConstCl.Export;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ConstCl.Core.Tests.Export;

/// <summary>
/// An R3D-50-style bottleneck written as a custom module with private fields, the way the model code
/// writes its blocks: <c>ReLU(BN(conv1×1×1(ReLU(BN(conv1×3×3 s(ReLU(BN(convkt×1×1(x)))))))) + shortcut(x))</c>,
/// the shortcut a strided 1×1×1 projection conv + BN when the shape changes. Its
/// <see cref="IOnnxExportable"/> implementation is the adapter pattern the real blocks follow.
/// </summary>
internal sealed class TestBottleneck : nn.Module<Tensor, Tensor>, IOnnxExportable
{
    private readonly Conv3d conv_a;
    private readonly BatchNorm3d bn_a;
    private readonly Conv3d conv_b;
    private readonly BatchNorm3d bn_b;
    private readonly Conv3d conv_c;
    private readonly BatchNorm3d bn_c;
    private readonly Conv3d? proj;
    private readonly BatchNorm3d? proj_bn;

    public TestBottleneck(long inChannels, long width, long temporalKernel, long spatialStride)
        : base(nameof(TestBottleneck))
    {
        var outChannels = 4 * width;
        conv_a = nn.Conv3d(inChannels, width, (temporalKernel, 1, 1), padding: (temporalKernel / 2, 0, 0), bias: false);
        bn_a = nn.BatchNorm3d(width);
        conv_b = nn.Conv3d(width, width, (1, 3, 3), stride: (1, spatialStride, spatialStride), padding: (0, 1, 1), bias: false);
        bn_b = nn.BatchNorm3d(width);
        conv_c = nn.Conv3d(width, outChannels, (1, 1, 1), bias: false);
        bn_c = nn.BatchNorm3d(outChannels);
        if (inChannels != outChannels || spatialStride != 1)
        {
            proj = nn.Conv3d(inChannels, outChannels, (1, 1, 1), stride: (1, spatialStride, spatialStride), bias: false);
            proj_bn = nn.BatchNorm3d(outChannels);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var y = nn.functional.relu(bn_a.forward(conv_a.forward(x)));
        y = nn.functional.relu(bn_b.forward(conv_b.forward(y)));
        y = bn_c.forward(conv_c.forward(y));
        var shortcut = proj is null ? x : proj_bn!.forward(proj.forward(x));
        return nn.functional.relu(y + shortcut).MoveToOuterDisposeScope();
    }

    public string Export(OnnxGraphBuilder builder, string input)
    {
        var main = new OnnxChainLayer(
            new OnnxConvLayer(conv_a, bn_a, Relu: true),
            new OnnxConvLayer(conv_b, bn_b, Relu: true),
            new OnnxConvLayer(conv_c, bn_c));
        var shortcut = proj is null ? null : new OnnxConvLayer(proj, proj_bn);
        return new OnnxResidualLayer(main, shortcut).Export(builder, input);
    }
}

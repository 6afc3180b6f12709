using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>What <see cref="ResNet3dY"/> returns: the two res5 branches fed by the shared res4.</summary>
/// <param name="Res5">Global branch res5, <c>[B, 2048, T′, H′, W′]</c> (feeds the global projection head).</param>
/// <param name="Res5Local">Local branch res5_local, <c>[B, 2048, T′, H′, W′]</c> (feeds the region head).</param>
public sealed record BackboneFeatures(Tensor Res5, Tensor Res5Local) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Res5.Dispose();
        Res5Local.Dispose();
    }
}

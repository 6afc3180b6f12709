using static TorchSharp.torch;

namespace ConstCl.Losses;

/// <summary>The value of the ConST-CL objective for one batch, with both parts and their diagnostics.</summary>
/// <param name="Total">Scalar to back-propagate: <c>GlobalWeight · Global.Loss + LocalWeight · Local.Loss</c>.</param>
/// <param name="Global">The global NT-Xent loss and its diagnostics.</param>
/// <param name="Local">The local region loss and its diagnostics; null in global-only (CVRL) mode.</param>
public sealed record ConstClObjectiveResult(
    Tensor Total,
    GlobalContrastiveResult Global,
    InstanceContrastiveResult? Local) : IDisposable
{
    /// <summary>Disposes every tensor of the result.</summary>
    public void Dispose()
    {
        Total.Dispose();
        Global.Dispose();
        Local?.Dispose();
    }
}

using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// The <see cref="InputMode.FrameDifference"/> transform (its ONNX form, which must agree, is <c>Export.BackboneLowering.FrameDifference</c>):
/// <c>d[:, :, t] = x[:, :, t + 1] − x[:, :, t]</c> for <c>t &lt; T − 1</c>, <c>d[:, :, T − 1] = 0</c>. Keeps the shape
/// <c>[B, C, T, H, W]</c>, so feature shapes and key-frame indices do not depend on the mode. With a dead zone
/// <c>t &gt; 0</c> (<see cref="ResNet3dYOptions.FrameDifferenceDeadZone"/>) each difference becomes
/// <c>relu(d − t) − relu(−t − d)</c> = <c>sign(d)·max(|d| − t, 0)</c>.
/// </summary>
internal static class FrameDifference
{
    /// <summary><c>[B, C, T, H, W] → [B, C, T, H, W]</c>; T = 1 gives zeros.</summary>
    /// <param name="x">The clip.</param>
    /// <param name="deadZone">Differences within ±<paramref name="deadZone"/> become 0 (0: none).</param>
    public static Tensor Apply(Tensor x, double deadZone = 0)
    {
        using var scope = NewDisposeScope();
        var frames = x.shape[2];
        var next = x.narrow(2, 1, frames - 1);                                              // [B, C, T−1, H, W]
        var current = x.narrow(2, 0, frames - 1);
        var difference = next.sub(current);
        if (deadZone > 0)
        {
            // The same two ReLUs as the ONNX lowering (Export.BackboneLowering.FrameDifference), so both compute the same values.
            using var threshold = deadZone.ToScalar();   // kept alive while libtorch reads it (ScalarLifetimeAuditTests)
            difference = nn.functional.relu(difference.sub(threshold)).sub(nn.functional.relu(difference.neg().sub(threshold)));
        }

        return nn.functional.pad(difference, [0, 0, 0, 0, 0, 1]).MoveToOuterDisposeScope();   // zero last frame
    }
}

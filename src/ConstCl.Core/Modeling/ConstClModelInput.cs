using static TorchSharp.torch;

namespace ConstCl.Modeling;

/// <summary>
/// One two-view batch for <c>ConstClModel</c>. Boxes are normalised to the (augmented) frame,
/// <c>(x1, y1, x2, y2)</c> in [0, 1], one set per input frame; the model picks the key frame.
/// </summary>
/// <param name="ViewA">First view, <c>[B, 3, T, H, W]</c>, float32 in [-1, 1].</param>
/// <param name="ViewB">Second view, <c>[B, 3, T, H, W]</c>.</param>
/// <param name="BoxesA">Region boxes of view A, <c>[B, T, N, 4]</c> normalised (x1, y1, x2, y2).</param>
/// <param name="BoxesB">Region boxes of view B, <c>[B, T, N, 4]</c>.</param>
/// <param name="MaskA">Valid boxes of view A, <c>[B, T, N]</c> bool; null means all valid.</param>
/// <param name="MaskB">Valid boxes of view B, <c>[B, T, N]</c> bool; null means all valid.</param>
/// <param name="FrameTimesA">Source frame index of each input frame of view A, <c>[B, T]</c> int64; needed only by the
/// <c>Nearest</c> and <c>Random</c> key-frame strategies.</param>
/// <param name="FrameTimesB">Same for view B.</param>
public sealed record ConstClModelInput(
    Tensor ViewA,
    Tensor ViewB,
    Tensor BoxesA,
    Tensor BoxesB,
    Tensor? MaskA = null,
    Tensor? MaskB = null,
    Tensor? FrameTimesA = null,
    Tensor? FrameTimesB = null)
{
    /// <summary>
    /// This batch on <paramref name="device"/>: itself when it is already there (the CPU path copies nothing), otherwise
    /// copies that join the caller's dispose scope.
    /// </summary>
    /// <param name="device">The target device (the model's).</param>
    /// <returns>The same shapes and dtypes on <paramref name="device"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="device"/> is null.</exception>
    public ConstClModelInput To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return ViewA.device_type == device.type && ViewA.device_index == device.index ? this : new(
        ViewA.to(device),
        ViewB.to(device),
        BoxesA.to(device),
        BoxesB.to(device),
        MaskA?.to(device),
        MaskB?.to(device),
        FrameTimesA?.to(device),
        FrameTimesB?.to(device));
    }
}

using ConstCl.Modeling;

namespace ConstCl.Data;

/// <summary>One collated pre-training batch: model input tensors plus where it came from.</summary>
/// <param name="Index">Global batch index (the sampler position).</param>
/// <param name="Epoch">Epoch the batch belongs to (0-based).</param>
/// <param name="Input">The model input tensors (owned by this batch).</param>
/// <param name="VideoPaths">Source of each video in the batch (paths or synthetic ids), length B.</param>
public sealed record PretrainingBatch(long Index, int Epoch, ConstClModelInput Input, IReadOnlyList<string> VideoPaths) : IDisposable
{
    /// <summary>Disposes the input tensors.</summary>
    public void Dispose()
    {
        Input.ViewA.Dispose();
        Input.ViewB.Dispose();
        Input.BoxesA.Dispose();
        Input.BoxesB.Dispose();
        Input.MaskA?.Dispose();
        Input.MaskB?.Dispose();
        Input.FrameTimesA?.Dispose();
        Input.FrameTimesB?.Dispose();
    }
}

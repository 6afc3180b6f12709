namespace ConstCl.Modeling;

/// <summary>How the backbone's convolutions and the stem max-pool are padded.</summary>
public enum ConvPaddingMode
{
    /// <summary>PyTorch style: symmetric <c>k // 2</c> on each side (fine for training from scratch).</summary>
    Symmetric,

    /// <summary>
    /// TensorFlow <c>'same'</c>: <c>pad_total = max((ceil(n/s) − 1)·s + k − n, 0)</c>, <c>before = pad_total / 2</c>,
    /// the remainder after (asymmetric when the stride is 2); applied with an explicit pad so that ported TF
    /// weights sample the same pixels (spec §1.7). Max-pool pads with −∞.
    /// </summary>
    TensorFlowSame,
}

namespace ConstCl.Export;

/// <summary>How a convolution or pooling layer is padded in the exported graph.</summary>
internal enum OnnxPadding
{
    /// <summary>Use the module's own symmetric <c>padding</c> (or its <c>Padding.Same</c>/<c>Valid</c> mode).</summary>
    Module,

    /// <summary>Use the explicit per-side pads given with the layer (fixed for every input size).</summary>
    Explicit,

    /// <summary>
    /// TensorFlow 'same': <c>pad_total = max((⌈n/s⌉−1)·s + k − n, 0)</c>, the smaller half before. Emitted as
    /// ONNX <c>auto_pad = SAME_UPPER</c>, which computes the same pads at run time for any input size.
    /// </summary>
    TfSame,
}

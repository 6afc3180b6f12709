using ConstCl.Modeling;
using TorchSharp;
using TorchSharp.Modules;

namespace ConstCl.Export;

/// <summary>
/// Lowers TorchSharp modules to ONNX nodes by their type: <see cref="IOnnxExportable"/> (asked to export
/// itself), the backbone's stem and blocks (<see cref="BackboneLowering"/>), <c>Sequential</c> (children in order;
/// a Conv3d directly followed by a BatchNorm becomes one conv-BN unit so it can be folded), <c>Conv3d</c>, <c>BatchNorm1d/2d/3d</c>, <c>ReLU</c>, <c>MaxPool3d</c>,
/// <c>ConstantPad3d</c>, <c>AdaptiveAvgPool3d(1)</c>, <c>Flatten</c>, <c>Linear</c>, <c>Identity</c>.
/// Anything else throws <see cref="NotSupportedException"/> naming the type.
/// </summary>
internal static class OnnxModuleLowering
{
    /// <summary>Emits the inference forward pass of <paramref name="module"/> and returns its output value name.</summary>
    public static string Lower(OnnxGraphBuilder builder, torch.nn.Module module, string input)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(module);
        switch (module)
        {
            case IOnnxExportable exportable:
                return exportable.Export(builder, input);
            case ResNetStem stem:
                return BackboneLowering.Stem(builder, stem, input);
            case Bottleneck3d bottleneck:
                return BackboneLowering.Bottleneck(builder, bottleneck, input);
            case BasicBlock3d basic:
                return BackboneLowering.Basic(builder, basic, input);
            case Sequential sequential:
                return LowerSequence(builder, sequential.named_children().Select(c => c.module).ToList(), input);
            case Conv3d conv:
                return LowerConv(builder, conv, null, input, OnnxPadding.Module, null);
            case BatchNorm norm:
                return builder.BatchNormalization(input, BatchNormParameters.FromModule(norm));
            case ReLU:
                return builder.Relu(input);
            case MaxPool3d pool:
                return LowerMaxPool(builder, pool, input);
            case ConstantPad3d pad:
                return builder.Pad(input, OnnxPadLayer.ToOnnxPads(Expand(pad.padding, 6, 0, nameof(ConstantPad3d) + ".padding"), rank: 5), (float)pad.value);
            case AdaptiveAvgPool3d gap when gap.output_size is { } size && size.All(s => s == 1):
                return builder.ReduceMean(input, [2, 3, 4], keepDims: true);     // [N, C, 1, 1, 1]
            case Flatten flatten when flatten.start_dim == 1 && flatten.end_dim == -1:
                return builder.Flatten(input, 1);
            case Linear linear:
                return builder.Gemm(input, linear.weight, linear.bias);
            case Identity:
                return input;
            default:
                throw new NotSupportedException(
                    $"Cannot export module '{module.GetName()}' of type {module.GetType().FullName} to ONNX: lowering knows " +
                    "Sequential, Conv3d, BatchNorm, ReLU, MaxPool3d, ConstantPad3d, AdaptiveAvgPool3d(1), Flatten, Linear, Identity. " +
                    "Implement IOnnxExportable on the module (or wrap it in an adapter) to describe its forward pass.");
        }
    }

    /// <summary>Lowers modules in order, fusing each Conv3d that is directly followed by a BatchNorm.</summary>
    public static string LowerSequence(OnnxGraphBuilder builder, IReadOnlyList<torch.nn.Module> modules, string input)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var x = input;
        for (var i = 0; i < modules.Count; i++)
        {
            if (modules[i] is Conv3d conv && i + 1 < modules.Count && modules[i + 1] is BatchNorm norm)
            {
                x = LowerConv(builder, conv, norm, x, OnnxPadding.Module, null);
                i++;
            }
            else
            {
                x = Lower(builder, modules[i], x);
            }
        }

        return x;
    }

    /// <summary>
    /// A Conv3d (plus an optional following batch norm, folded when the builder folds) with pads from
    /// <paramref name="padding"/>. Only zero padding mode is exportable.
    /// </summary>
    public static string LowerConv(OnnxGraphBuilder builder, Conv3d conv, BatchNorm? norm, string input, OnnxPadding padding, long[]? pads)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(conv);
        if (conv.transposed)
        {
            throw new NotSupportedException("Transposed 3-D convolutions are not part of the exported op set.");
        }

        if (conv.padding_mode is not (PaddingModes.Zeros or PaddingModes.Constant))
        {
            throw new NotSupportedException(
                $"Conv3d padding mode {conv.padding_mode} cannot be exported; only zero padding is supported (pad explicitly with OnnxPadLayer).");
        }

        var kernel = Expand(conv.kernel_size, 3, 1, "Conv3d.kernel_size");
        var strides = Expand(conv.stride, 3, 1, "Conv3d.stride");
        var dilations = Expand(conv.dilation, 3, 1, "Conv3d.dilation");
        string? autoPad = null;
        long[] onnxPads;
        switch (padding)
        {
            case OnnxPadding.Module:
                onnxPads = ModulePads(conv, kernel, dilations);
                break;
            case OnnxPadding.Explicit:
                onnxPads = pads is { Length: 6 } && pads.All(p => p >= 0)
                    ? pads
                    : throw new ArgumentException("Explicit conv pads must be six non-negative values [t0, h0, w0, t1, h1, w1].", nameof(pads));
                break;
            case OnnxPadding.TfSame:
                onnxPads = new long[6];
                autoPad = TfSameAutoPad(kernel, strides, dilations, "Conv3d");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding source.");
        }

        return norm is null
            ? builder.Conv(input, conv.weight, conv.bias, strides, onnxPads, dilations, conv.groups, autoPad)
            : builder.ConvBatchNorm(input, conv.weight, conv.bias, BatchNormParameters.FromModule(norm), strides, onnxPads, dilations, conv.groups, autoPad);
    }

    /// <summary>A MaxPool3d with its own symmetric padding (−∞ semantics), or TF 'same' pads when asked.</summary>
    public static string LowerMaxPool(OnnxGraphBuilder builder, MaxPool3d pool, string input, OnnxPadding padding = OnnxPadding.Module, long[]? pads = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(pool);
        var kernel = Expand(pool.kernel_size, 3, 1, "MaxPool3d.kernel_size");
        var strides = pool.stride is null ? kernel : Expand(pool.stride, 3, 1, "MaxPool3d.stride");
        var dilations = Expand(pool.dilation, 3, 1, "MaxPool3d.dilation");
        return padding switch
        {
            OnnxPadding.Module => builder.MaxPool(input, kernel, strides, Symmetric(Expand(pool.padding, 3, 0, "MaxPool3d.padding")), dilations, pool.ceil_mode),
            OnnxPadding.Explicit => builder.MaxPool(input, kernel, strides, pads ?? throw new ArgumentNullException(nameof(pads)), dilations, pool.ceil_mode),
            OnnxPadding.TfSame => builder.MaxPool(input, kernel, strides, new long[6], dilations, pool.ceil_mode, TfSameAutoPad(kernel, strides, dilations, "MaxPool3d")),
            _ => throw new ArgumentOutOfRangeException(nameof(padding), padding, "Unknown padding source."),
        };
    }

    /// <summary>
    /// The <c>auto_pad</c> value for TF 'same': "SAME_UPPER", or null (no padding) when every kernel is 1, where
    /// TF's pad is always 0. An axis whose (dilated) kernel is smaller than its stride would need TF's clamp of a
    /// negative pad to 0, which auto_pad does not express: refused.
    /// </summary>
    private static string? TfSameAutoPad(long[] kernel, long[] strides, long[] dilations, string what)
    {
        if (kernel.All(k => k == 1))
        {
            return null;
        }

        for (var a = 0; a < kernel.Length; a++)
        {
            if ((dilations[a] * (kernel[a] - 1)) + 1 < strides[a])
            {
                throw new NotSupportedException(
                    $"{what} with kernel [{string.Join(", ", kernel)}] and stride [{string.Join(", ", strides)}]: TF 'same' padding with a kernel " +
                    "smaller than its stride cannot be exported; use explicit pads for a fixed input size.");
            }
        }

        return "SAME_UPPER";
    }

    /// <summary>ONNX pads <c>[t0, h0, w0, t1, h1, w1]</c> for the conv's own padding setting.</summary>
    private static long[] ModulePads(Conv3d conv, long[] kernel, long[] dilations)
    {
        switch (conv.padding_type)
        {
            case Padding.Valid:
                return new long[6];
            case Padding.Same:
                // PyTorch 'same' (stride 1): total d·(k−1), the smaller half before.
                var pads = new long[6];
                for (var a = 0; a < 3; a++)
                {
                    var total = dilations[a] * (kernel[a] - 1);
                    pads[a] = total / 2;
                    pads[3 + a] = total - (total / 2);
                }

                return pads;
            default:
                return Symmetric(Expand(conv.padding, 3, 0, "Conv3d.padding"));
        }
    }

    private static long[] Symmetric(long[] perAxis) => [.. perAxis, .. perAxis];

    /// <summary>Broadcasts a scalar-or-per-axis setting to <paramref name="count"/> values (null gives the default).</summary>
    private static long[] Expand(long[]? values, int count, long fallback, string what)
    {
        if (values is null || values.Length == 0)
        {
            return Enumerable.Repeat(fallback, count).ToArray();
        }

        if (values.Length == 1)
        {
            return Enumerable.Repeat(values[0], count).ToArray();
        }

        return values.Length == count
            ? values
            : throw new NotSupportedException($"{what} has {values.Length} values; expected 1 or {count}.");
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Export;

/// <summary>
/// Builds one ONNX model (IR version 8, default-domain opset 18) node by node. Every helper takes the
/// names of its input values and returns the name of the value it produces, so a network is lowered by
/// threading names through calls. Names are deterministic (<c>prefix_k</c> with a per-prefix counter),
/// so the same network always gives the same bytes. Weights are copied into float32 initializers at
/// once; the TorchSharp tensors passed in are only read.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>ONNX IR version written into the model.</summary>
    public const long IrVersion = 8;

    /// <summary>Version of the default ONNX operator set the graph uses.</summary>
    public const long OpsetVersion = 18;

    /// <summary>Epsilon of TorchSharp's <c>F.normalize</c> (the norm is clamped to at least this).</summary>
    public const float NormalizeEpsilon = 1e-12f;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _channels = new(StringComparer.Ordinal);
    private bool _built;

    /// <summary>Creates an empty graph.</summary>
    /// <param name="graphName">Name of the ONNX graph.</param>
    /// <param name="foldBatchNorms">Whether <see cref="ConvBatchNorm"/> folds batch norm into the convolution.</param>
    public OnnxGraphBuilder(string graphName, bool foldBatchNorms = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph = new GraphProto { Name = graphName };
        FoldBatchNorms = foldBatchNorms;
    }

    /// <summary>Whether conv + batch norm pairs are emitted as one Conv with folded weights (the default: faster).</summary>
    public bool FoldBatchNorms { get; }

    /// <summary>The nodes emitted so far, in order.</summary>
    public IReadOnlyList<NodeProto> Nodes => _graph.Node;

    /// <summary>A fresh deterministic name <c>prefix_k</c> (k counts per prefix from 0).</summary>
    public string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        _counters.TryGetValue(prefix, out var k);
        string name;
        do
        {
            name = prefix + "_" + k.ToString(CultureInfo.InvariantCulture);
            k++;
        }
        while (_names.Contains(name));

        _counters[prefix] = k;
        _names.Add(name);
        return name;
    }

    /// <summary>The channel count (axis 1) of a value, when the builder could track it.</summary>
    public long? ChannelsOf(string value) => _channels.TryGetValue(value, out var c) ? c : null;

    /// <summary>Records the channel count (axis 1) of a value; used to declare output shapes.</summary>
    public void SetChannels(string value, long channels) => _channels[value] = channels;

    // ---------------------------------------------------------------- graph inputs, outputs, initializers

    /// <summary>Declares a graph input.</summary>
    /// <param name="name">Input name (must be unused).</param>
    /// <param name="elementType">Element type (Float or Int64 here).</param>
    /// <param name="dims">Declared dimensions; symbolic ones keep their names (for example "N").</param>
    public string AddInput(string name, TensorProto.Types.DataType elementType, params OnnxDimension[] dims)
    {
        Reserve(name);
        _graph.Input.Add(ValueInfo(name, elementType, dims));
        return name;
    }

    /// <summary>Declares a graph output produced by the value <paramref name="value"/> (renamed through an Identity node).</summary>
    public string AddOutput(string value, string name, TensorProto.Types.DataType elementType, params OnnxDimension[] dims)
    {
        Reserve(name);
        AddNode("Identity", [value], name, "output");
        _graph.Output.Add(ValueInfo(name, elementType, dims));
        return name;
    }

    /// <summary>Adds a float32 initializer copied from a TorchSharp tensor (any float dtype, any device).</summary>
    public string AddInitializer(string prefix, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        float[] data;
        long[] shape = tensor.shape;
        using (torch.no_grad())
        using (var scope = torch.NewDisposeScope())
        {
            data = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
        }

        return AddFloatInitializer(prefix, data, shape);
    }

    /// <summary>Adds a float32 initializer from managed data (raw little-endian bytes).</summary>
    public string AddFloatInitializer(string prefix, float[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckElementCount(data.Length, shape);
        var bytes = new byte[data.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(data.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < data.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
            }
        }

        return AddRawInitializer(prefix, TensorProto.Types.DataType.Float, bytes, shape);
    }

    /// <summary>Adds an int64 initializer (shapes, axes, pads) as raw little-endian bytes.</summary>
    public string AddInt64Initializer(string prefix, long[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckElementCount(data.Length, shape);
        var bytes = new byte[data.Length * sizeof(long)];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), data[i]);
        }

        return AddRawInitializer(prefix, TensorProto.Types.DataType.Int64, bytes, shape);
    }

    /// <summary>A 1-D int64 constant (axes, shapes, pads).</summary>
    public string Int64Vector(string prefix, params long[] values) => AddInt64Initializer(prefix, values, values.Length);

    /// <summary>A float scalar constant (rank 0).</summary>
    public string FloatScalar(string prefix, float value) => AddFloatInitializer(prefix, [value]);

    // ---------------------------------------------------------------- convolution and normalisation

    /// <summary>
    /// <c>Conv</c> over N-D input <c>[N, C_in, D…]</c> → <c>[N, C_out, D′…]</c>.
    /// </summary>
    /// <param name="x">Input value.</param>
    /// <param name="weight">Weight <c>[C_out, C_in/group, k…]</c>.</param>
    /// <param name="bias">Bias <c>[C_out]</c> or null.</param>
    /// <param name="strides">One stride per spatial axis.</param>
    /// <param name="pads">ONNX order: all begins then all ends (<c>[t0, h0, w0, t1, h1, w1]</c> in 3-D); ignored when <paramref name="autoPad"/> is set.</param>
    /// <param name="dilations">One dilation per spatial axis, or null for 1.</param>
    /// <param name="group">Number of groups.</param>
    /// <param name="autoPad">Null for explicit pads, or "SAME_UPPER" (TF 'same': the extra pad goes at the end; dynamic in the input size).</param>
    public string Conv(string x, Tensor weight, Tensor? bias, long[] strides, long[] pads, long[]? dilations = null, long group = 1, string? autoPad = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        var spatial = (int)weight.dim() - 2;
        if (spatial < 1)
        {
            throw new ArgumentException($"Conv weight must be [C_out, C_in/group, k…]; got shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        }

        CheckLength(strides, spatial, nameof(strides));
        if (autoPad is null)
        {
            CheckLength(pads, 2 * spatial, nameof(pads));
        }

        var name = UniqueName("conv");
        var inputs = new List<string> { x, AddInitializer(name + ".weight", weight) };
        if (bias is not null)
        {
            inputs.Add(AddInitializer(name + ".bias", bias));
        }

        var node = AddNamedNode("Conv", name, inputs);
        node.Attribute.Add(Ints("kernel_shape", weight.shape.Skip(2)));
        node.Attribute.Add(Ints("strides", strides));
        if (autoPad is null)
        {
            node.Attribute.Add(Ints("pads", pads));
        }
        else
        {
            node.Attribute.Add(Str("auto_pad", autoPad));
        }

        node.Attribute.Add(Ints("dilations", dilations ?? Enumerable.Repeat(1L, spatial)));
        node.Attribute.Add(Int("group", group));
        _channels[node.Output[0]] = weight.shape[0];
        return node.Output[0];
    }

    /// <summary><c>BatchNormalization</c> in inference mode over <c>[N, C, …]</c>.</summary>
    public string BatchNormalization(string x, BatchNormParameters bn)
    {
        ArgumentNullException.ThrowIfNull(bn);
        var name = UniqueName("bn");
        using var scope = torch.NewDisposeScope();
        var scale = bn.Scale ?? torch.ones(bn.Channels);
        var shift = bn.Shift ?? torch.zeros(bn.Channels);
        var node = AddNamedNode(
            "BatchNormalization",
            name,
            [x, AddInitializer(name + ".scale", scale), AddInitializer(name + ".shift", shift),
             AddInitializer(name + ".mean", bn.Mean), AddInitializer(name + ".var", bn.Variance)]);
        node.Attribute.Add(Float("epsilon", (float)bn.Epsilon));
        _channels[node.Output[0]] = bn.Channels;
        return node.Output[0];
    }

    /// <summary>
    /// Conv followed by inference batch norm: one Conv with folded weights when <see cref="FoldBatchNorms"/>
    /// (see <see cref="FoldBatchNorm"/>), otherwise Conv then BatchNormalization.
    /// </summary>
    public string ConvBatchNorm(string x, Tensor weight, Tensor? bias, BatchNormParameters bn, long[] strides, long[] pads, long[]? dilations = null, long group = 1, string? autoPad = null)
    {
        if (!FoldBatchNorms)
        {
            return BatchNormalization(Conv(x, weight, bias, strides, pads, dilations, group, autoPad), bn);
        }

        var (w, b) = FoldBatchNorm(weight, bias, bn);
        using (w)
        using (b)
        {
            return Conv(x, w, b, strides, pads, dilations, group, autoPad);
        }
    }

    /// <summary>
    /// Folds an inference batch norm into the convolution before it (float64 arithmetic):
    /// <c>W′ = W·γ/√(σ²+ε)</c>, <c>b′ = (b − μ)·γ/√(σ²+ε) + β</c>. The caller owns the returned tensors.
    /// </summary>
    /// <param name="convWeight">Conv weight <c>[C_out, C_in/group, k…]</c>.</param>
    /// <param name="convBias">Conv bias <c>[C_out]</c> or null.</param>
    /// <param name="bn">The batch norm that follows the conv (C = C_out).</param>
    public static (Tensor Weight, Tensor Bias) FoldBatchNorm(Tensor convWeight, Tensor? convBias, BatchNormParameters bn)
    {
        ArgumentNullException.ThrowIfNull(bn);
        return bn.FoldInto(convWeight, convBias);
    }

    // ---------------------------------------------------------------- pooling, padding, activations

    /// <summary><c>Relu</c>.</summary>
    public string Relu(string x) => Unary("Relu", x);

    /// <summary>
    /// <c>MaxPool</c> over <c>[N, C, D…]</c>; padded positions never win (−∞ semantics, as PyTorch's max-pool padding).
    /// </summary>
    /// <param name="x">Input value.</param>
    /// <param name="kernel">Kernel size per spatial axis.</param>
    /// <param name="strides">Stride per spatial axis.</param>
    /// <param name="pads">ONNX order (all begins then all ends); ignored when <paramref name="autoPad"/> is set.</param>
    /// <param name="dilations">Dilation per spatial axis, or null for 1.</param>
    /// <param name="ceilMode">PyTorch's ceil_mode.</param>
    /// <param name="autoPad">Null, or "SAME_UPPER" for TF 'same'.</param>
    public string MaxPool(string x, long[] kernel, long[] strides, long[] pads, long[]? dilations = null, bool ceilMode = false, string? autoPad = null)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        CheckLength(strides, kernel.Length, nameof(strides));
        if (autoPad is null)
        {
            CheckLength(pads, 2 * kernel.Length, nameof(pads));
        }

        var node = AddNode("MaxPool", [x], null, "maxpool");
        node.Attribute.Add(Ints("kernel_shape", kernel));
        node.Attribute.Add(Ints("strides", strides));
        if (autoPad is null)
        {
            node.Attribute.Add(Ints("pads", pads));
        }
        else
        {
            node.Attribute.Add(Str("auto_pad", autoPad));
        }

        node.Attribute.Add(Ints("dilations", dilations ?? Enumerable.Repeat(1L, kernel.Length)));
        node.Attribute.Add(Int("ceil_mode", ceilMode ? 1 : 0));
        Propagate(x, node.Output[0]);
        return node.Output[0];
    }

    /// <summary>
    /// Constant <c>Pad</c>. <paramref name="pads"/> covers every axis in ONNX order: all begins then all
    /// ends (rank·2 values, for <c>[N, C, T, H, W]</c>: <c>[0, 0, t0, h0, w0, 0, 0, t1, h1, w1]</c>).
    /// </summary>
    public string Pad(string x, long[] pads, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(pads);
        if (pads.Length % 2 != 0)
        {
            throw new ArgumentException($"pads must hold begin and end for every axis (even length); got {pads.Length} values.", nameof(pads));
        }

        var name = UniqueName("pad");
        var node = AddNamedNode("Pad", name, [x, Int64Vector(name + ".pads", pads), FloatScalar(name + ".value", value)]);
        node.Attribute.Add(Str("mode", "constant"));
        Propagate(x, node.Output[0]);
        return node.Output[0];
    }

    // ---------------------------------------------------------------- element-wise

    /// <summary><c>Add</c> (broadcasting).</summary>
    public string Add(string a, string b) => Binary("Add", a, b);

    /// <summary><c>Sub</c> (broadcasting).</summary>
    public string Sub(string a, string b) => Binary("Sub", a, b);

    /// <summary><c>Mul</c> (broadcasting).</summary>
    public string Mul(string a, string b) => Binary("Mul", a, b);

    /// <summary><c>Div</c> (broadcasting).</summary>
    public string Div(string a, string b) => Binary("Div", a, b);

    /// <summary><c>Max</c> of two values (broadcasting).</summary>
    public string Max(string a, string b) => Binary("Max", a, b);

    // ---------------------------------------------------------------- reductions and shapes

    /// <summary><c>ReduceMean</c> over <paramref name="axes"/> (opset 18: axes are an input tensor).</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims) => Reduce("ReduceMean", x, axes, keepDims);

    /// <summary><c>ReduceL2</c> (Euclidean norm) over <paramref name="axes"/>.</summary>
    public string ReduceL2(string x, long[] axes, bool keepDims) => Reduce("ReduceL2", x, axes, keepDims);

    /// <summary>
    /// L2 normalisation along <paramref name="axis"/>, exactly as TorchSharp's
    /// <c>F.normalize(x, p: 2, dim: axis, eps: 1e-12)</c>: <c>x / max(‖x‖₂, eps)</c>. A zero vector stays zero.
    /// </summary>
    public string L2Normalize(string x, long axis = 1, float epsilon = NormalizeEpsilon)
    {
        var norm = ReduceL2(x, [axis], keepDims: true);                    // [N, 1]
        var clamped = Max(norm, FloatScalar("l2norm.eps", epsilon));       // max-clamp, as F.normalize
        var y = Div(x, clamped);
        Propagate(x, y);
        return y;
    }

    /// <summary><c>Reshape</c> to the shape held in the int64 value <paramref name="shape"/> (0 copies, −1 infers).</summary>
    public string Reshape(string x, string shape) => AddNode("Reshape", [x, shape], null, "reshape").Output[0];

    /// <summary><c>Reshape</c> to a constant shape (0 copies that input dimension, −1 infers one).</summary>
    public string Reshape(string x, long[] shape) => Reshape(x, Int64Vector("shape", shape));

    /// <summary><c>Flatten</c> to 2-D: dims before <paramref name="axis"/> form rows, the rest columns.</summary>
    public string Flatten(string x, long axis = 1)
    {
        var node = AddNode("Flatten", [x], null, "flatten");
        node.Attribute.Add(Int("axis", axis));
        return node.Output[0];
    }

    /// <summary><c>Transpose</c> with permutation <paramref name="perm"/>.</summary>
    public string Transpose(string x, long[] perm)
    {
        var node = AddNode("Transpose", [x], null, "transpose");
        node.Attribute.Add(Ints("perm", perm));
        return node.Output[0];
    }

    /// <summary><c>Slice</c> along <paramref name="axes"/> (ends are exclusive; <c>long.MaxValue</c> means to the end).</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes, long[]? steps = null)
    {
        var name = UniqueName("slice");
        var inputs = new List<string>
        {
            x, Int64Vector(name + ".starts", starts), Int64Vector(name + ".ends", ends), Int64Vector(name + ".axes", axes),
        };
        if (steps is not null)
        {
            inputs.Add(Int64Vector(name + ".steps", steps));
        }

        var node = AddNamedNode("Slice", name, inputs);
        if (!axes.Contains(1))
        {
            Propagate(x, node.Output[0]);
        }

        return node.Output[0];
    }

    /// <summary><c>Gather</c> of constant <paramref name="indices"/> along <paramref name="axis"/> (1-D indices keep the rank).</summary>
    public string Gather(string x, long[] indices, long axis)
    {
        var name = UniqueName("gather");
        var node = AddNamedNode("Gather", name, [x, Int64Vector(name + ".indices", indices)]);
        node.Attribute.Add(Int("axis", axis));
        if (axis == 1)
        {
            _channels[node.Output[0]] = indices.Length;
        }
        else
        {
            Propagate(x, node.Output[0]);
        }

        return node.Output[0];
    }

    /// <summary>
    /// <c>Gemm</c>: <c>y = x·Wᵀ + b</c> for <c>x [N, C_in]</c> and a linear weight <c>W [C_out, C_in]</c> (as TorchSharp's Linear).
    /// </summary>
    public string Gemm(string x, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2)
        {
            throw new ArgumentException($"Gemm weight must be [C_out, C_in]; got shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        }

        var name = UniqueName("gemm");
        var inputs = new List<string> { x, AddInitializer(name + ".weight", weight) };
        if (bias is not null)
        {
            inputs.Add(AddInitializer(name + ".bias", bias));
        }

        var node = AddNamedNode("Gemm", name, inputs);
        node.Attribute.Add(Int("transB", 1));
        _channels[node.Output[0]] = weight.shape[0];
        return node.Output[0];
    }

    /// <summary><c>MatMul</c> of two values (numpy semantics).</summary>
    public string MatMul(string a, string b) => AddNode("MatMul", [a, b], null, "matmul").Output[0];

    /// <summary>Copies a value's channel count to another (for ops that keep axis 1).</summary>
    public void Propagate(string from, string to)
    {
        if (_channels.TryGetValue(from, out var c))
        {
            _channels[to] = c;
        }
    }

    // ---------------------------------------------------------------- model

    /// <summary>
    /// Wraps the graph into a model (IR 8, opset 18). The graph must have inputs and outputs. The graph is
    /// handed over, not copied (an R3D-50 carries ~127 MB of weights), so the builder cannot be used afterwards.
    /// </summary>
    public ModelProto Build(string? docString = null)
    {
        EnsureOpen();
        if (_graph.Input.Count == 0 || _graph.Output.Count == 0)
        {
            throw new InvalidOperationException("The ONNX graph needs at least one declared input and one output before it can be built.");
        }

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "ConstCl",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Domain = "constcl",
            ModelVersion = 1,
            DocString = docString ?? string.Empty,
            Graph = _graph,
        };
        _built = true;
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = OpsetVersion });
        return model;
    }

    // ---------------------------------------------------------------- plumbing

    private string Unary(string op, string x)
    {
        var node = AddNode(op, [x], null, op.ToLowerInvariant());
        Propagate(x, node.Output[0]);
        return node.Output[0];
    }

    private string Binary(string op, string a, string b)
    {
        var node = AddNode(op, [a, b], null, op.ToLowerInvariant());
        if (_channels.ContainsKey(a))
        {
            Propagate(a, node.Output[0]);
        }
        else
        {
            Propagate(b, node.Output[0]);
        }

        return node.Output[0];
    }

    private string Reduce(string op, string x, long[] axes, bool keepDims)
    {
        ArgumentNullException.ThrowIfNull(axes);
        var name = UniqueName(op.ToLowerInvariant());
        var node = AddNamedNode(op, name, [x, Int64Vector(name + ".axes", axes)]);
        node.Attribute.Add(Int("keepdims", keepDims ? 1 : 0));
        if (!axes.Contains(1) && (keepDims || !axes.Contains(0)))
        {
            Propagate(x, node.Output[0]);
        }

        return node.Output[0];
    }

    private void EnsureOpen()
    {
        if (_built)
        {
            throw new InvalidOperationException("This ONNX graph builder has already built its model; start a new builder.");
        }
    }

    private NodeProto AddNode(string op, IEnumerable<string> inputs, string? output, string prefix)
    {
        EnsureOpen();
        var name = UniqueName(prefix);
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output ?? name);
        _graph.Node.Add(node);
        return node;
    }

    private NodeProto AddNamedNode(string op, string name, IEnumerable<string> inputs)
    {
        EnsureOpen();
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        _graph.Node.Add(node);
        return node;
    }

    private string AddRawInitializer(string prefix, TensorProto.Types.DataType type, byte[] bytes, long[] shape)
    {
        EnsureOpen();
        var name = UniqueName(prefix);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(bytes) };  // bytes is fresh and never written again: no second copy
        tensor.Dims.AddRange(shape);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private void Reserve(string name)
    {
        EnsureOpen();
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_names.Add(name))
        {
            throw new ArgumentException($"The ONNX value name '{name}' is already used in this graph.", nameof(name));
        }
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, OnnxDimension[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d.Symbol is { } s
                ? new TensorShapeProto.Types.Dimension { DimParam = s }
                : new TensorShapeProto.Types.Dimension { DimValue = d.Value!.Value });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static void CheckElementCount(int count, long[] shape)
    {
        long expected = 1;
        foreach (var d in shape)
        {
            expected *= d;
        }

        if (expected != count)
        {
            throw new ArgumentException($"Initializer data has {count} elements but shape [{string.Join(", ", shape)}] needs {expected}.", nameof(shape));
        }
    }

    private static void CheckLength(long[]? values, int expected, string name)
    {
        if (values is null || values.Length != expected)
        {
            throw new ArgumentException($"{name} must have {expected} values; got {values?.Length.ToString(CultureInfo.InvariantCulture) ?? "null"}.", name);
        }
    }

    private static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    private static AttributeProto Str(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };
}

using System.Security.Cryptography;
using Google.Protobuf;
using ConstCl.Checkpoints;
using ConstCl.Export;
using ConstCl.Modeling;
using ConstCl.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Embedding;

/// <summary>
/// A frozen ConST-CL backbone for one branch (<see cref="BackboneBranch.Global"/> res5 by default, or res5_local), run up
/// to one stage (<see cref="BackboneStage.Res5"/> by default, or an earlier one): clips <c>[N, 3, T, H, W]</c> in the
/// pre-training value range ([−1, 1]) → globally average-pooled features <c>[N, D]</c> (D = 2048 for Paper, 256 for Tiny
/// at res5), computed in eval mode (batch norm on running statistics) without gradients.
/// Not thread-safe: one forward at a time (use one encoder per thread, or <see cref="VideoEmbedder"/>).
/// </summary>
public sealed class VideoEncoder : IDisposable
{
    private readonly ResNet3dY _backbone;
    private readonly bool _ownsBackbone;
    private string? _hash;
    private bool _disposed;

    private VideoEncoder(ResNet3dY backbone, ConstClModelOptions options, BackboneBranch branch, BackboneStage stage, bool ownsBackbone, string? hash)
    {
        _backbone = backbone;
        Options = options;
        Branch = branch;
        Stage = stage;
        _ownsBackbone = ownsBackbone;
        _hash = hash;
    }

    /// <summary>The options of the model the backbone belongs to (input frames/size, backbone widths, padding mode).</summary>
    public ConstClModelOptions Options { get; }

    /// <summary>The res5 branch this encoder runs.</summary>
    public BackboneBranch Branch { get; }

    /// <summary>The stage whose output is pooled (<see cref="BackboneStage.Res5"/> unless chosen otherwise).</summary>
    public BackboneStage Stage { get; }

    /// <summary>D, the width of an embedding: the channels of <see cref="Stage"/> (at res5 <c>StageWidths[^1] · Expansion</c>).</summary>
    public int EmbeddingDimension => Options.Backbone.StageOutputChannels(Stage);

    /// <summary>
    /// SHA-256 (lower-case hex) of the backbone's weights in the encoder-file encoding, plus the branch and (below res5) the
    /// stage: changes whenever a weight or buffer changes. Use it to key embedding caches and in protocol cards. Computed once, on first use.
    /// </summary>
    public string Hash => _hash ??= ComputeHash(_backbone, Branch, Stage, Options.Backbone.InputMode, Options.Backbone.FrameDifferenceDeadZone);

    /// <summary>The backbone (shared with the model when built by <see cref="FromModel"/>).</summary>
    internal ResNet3dY Backbone => _backbone;

    /// <summary>
    /// Where the backbone's weights live, so where <see cref="Encode(Tensor)"/> runs (clips are moved there; the features come
    /// back on the CPU).
    /// </summary>
    public ComputeDevice Device => ComputeDevice.Of(_backbone.parameters().First().device);

    /// <summary>
    /// Loads an encoder file (<see cref="EncoderFile"/>) holding a <see cref="ResNet3dY"/> state dict, or a whole model's (keys
    /// <c>backbone.*</c>), onto <paramref name="device"/>: the weights are read on the CPU, checked, then moved.
    /// </summary>
    /// <param name="encoderPath">A <c>.constcl</c> encoder file.</param>
    /// <param name="branch">Which res5 to run (default global).</param>
    /// <param name="device">Where to run it (default the CPU).</param>
    /// <param name="stage">The stage whose output is pooled (default res5).</param>
    /// <exception cref="CorruptFileException">The file fails its checks (framing, checksums, tensor headers, NaN or ±Infinity weights).</exception>
    /// <exception cref="ArgumentException">The options or weights do not describe a ConST-CL backbone.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="device"/> is a GPU the loaded back-end cannot use (see <see cref="TorchRuntime.Resolve"/>).</exception>
    public static VideoEncoder Load(string encoderPath, BackboneBranch branch = BackboneBranch.Global, ComputeDevice device = default, BackboneStage stage = BackboneStage.Res5)
    {
        CheckBranch(branch);
        BackboneStageCheck.Defined(stage);
        var target = TorchRuntime.Resolve(device);   // before the file is read: a missing CUDA back-end is the first thing said
        using var contents = EncoderFile.Load(encoderPath);
        var options = EncoderOptionsJson.Parse(contents.ModelOptionsJson, encoderPath);
        using var generator = new Generator(0);
        var backbone = ResNet3dY.Create(options.Backbone, generator);
        try
        {
            var weights = contents.Weights;
            if (BackboneKeys.AnyPrefixed(weights.Keys))
            {
                // A whole ConstClModel was saved: keep its backbone.
                weights = BackboneKeys.Strip(weights);
            }

            NamedTensorCodec.LoadInto(backbone, weights, $"encoder file '{encoderPath}'");
            if (device.IsCuda)
            {
                backbone.to(target);
            }

            backbone.eval();
            return new VideoEncoder(backbone, options, branch, stage, ownsBackbone: true, hash: null);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>An encoder over <paramref name="model"/>'s backbone (shared, not copied: later training changes it; <see cref="Hash"/> is taken on first use).</summary>
    /// <param name="model">A ConST-CL model.</param>
    /// <param name="branch">Which res5 to run (default global).</param>
    /// <param name="stage">The stage whose output is pooled (default res5).</param>
    public static VideoEncoder FromModel(ConstClModel model, BackboneBranch branch = BackboneBranch.Global, BackboneStage stage = BackboneStage.Res5)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckBranch(branch);
        BackboneStageCheck.Defined(stage);
        return new VideoEncoder(model.Backbone, model.Options, branch, stage, ownsBackbone: false, hash: null);
    }

    /// <summary>An encoder that owns <paramref name="backbone"/> (already loaded; set to eval mode here).</summary>
    internal static VideoEncoder Owning(ResNet3dY backbone, ConstClModelOptions options, BackboneBranch branch)
    {
        CheckBranch(branch);
        backbone.eval();
        return new VideoEncoder(backbone, options, branch, BackboneStage.Res5, ownsBackbone: true, hash: null);
    }

    /// <summary>Writes the backbone and <see cref="Options"/> as an encoder file (atomically); returns the weights' checksum.</summary>
    /// <param name="path">Target <c>.constcl</c> file.</param>
    public string Save(string path)
    {
        ThrowIfDisposed();
        return EncoderFile.Save(path, _backbone, EncoderOptionsJson.Serialize(Options));
    }

    /// <summary>
    /// Pooled features of a batch of clips: <c>[N, 3, T, H, W] → [N, D]</c> (mean over T′, H′, W′ of <see cref="Stage"/>'s
    /// output, by default the branch's res5; not normalised). Runs in eval mode under <c>no_grad</c> and restores the module's previous mode.
    /// </summary>
    /// <param name="clips">Clips in the pre-training value range, on any device (moved to the encoder's).</param>
    public Tensor Encode(Tensor clips)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(clips);
        if (clips.dim() != 5 || clips.shape[1] != Options.Backbone.InputChannels)
        {
            throw new ArgumentException($"clips must be [N, {Options.Backbone.InputChannels}, T, H, W]; got [{string.Join(", ", clips.shape)}].", nameof(clips));
        }

        bool wasTraining = _backbone.training;
        _backbone.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var device = _backbone.parameters().First().device;
            var features = _backbone.ForwardBranch(clips.to(float32).to(device), Branch, Stage);   // [N, D, T′, H′, W′]
            return features.mean([2L, 3L, 4L]).cpu().MoveToOuterDisposeScope();             // [N, D]
        }
        finally
        {
            if (wasTraining)
            {
                _backbone.train();
            }
        }
    }

    /// <summary>Managed convenience: <c>data [N, 3, T, H, W]</c> (row-major) → pooled features <c>[N, D]</c> row-major.</summary>
    /// <param name="data">Clip values.</param>
    /// <param name="shape">The five sizes of <paramref name="data"/>.</param>
    public float[] Encode(float[] data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 5 || shape.Aggregate(1L, (a, b) => a * b) != data.Length)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] must have five sizes whose product is data.Length = {data.Length}.", nameof(shape));
        }

        using var scope = NewDisposeScope();
        using var input = tensor(data, shape);
        return Encode(input).data<float>().ToArray();
    }

    /// <summary>The ONNX model of this encoder (stem … <see cref="Stage"/> of <see cref="Branch"/>, then the pooling/normalisation of <paramref name="options"/>).</summary>
    /// <param name="options">Export options (layout, BN folding, …); null: defaults (Clips layout, unit-norm output).</param>
    public byte[] ExportOnnx(OnnxExportOptions? options = null)
    {
        ThrowIfDisposed();
        using var noGrad = no_grad();
        return BuildOnnx(options).ToByteArray();
    }

    /// <summary>Writes <see cref="ExportOnnx(OnnxExportOptions?)"/> to <paramref name="path"/> (temporary file, then rename).</summary>
    /// <param name="path">Target <c>.onnx</c> file.</param>
    /// <param name="options">Export options; null: defaults.</param>
    public void ExportOnnx(string path, OnnxExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ThrowIfDisposed();
        using var noGrad = no_grad();
        OnnxExporter.WriteAtomically(BuildOnnx(options), path);
    }

    /// <summary>Frees the backbone when this encoder loaded it (an encoder over a model's backbone leaves the model alone).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ownsBackbone)
        {
            _backbone.Dispose();
        }
    }

    /// <summary>The ONNX model plus metadata a server needs to prepare clips: the pre-training clip size, value range, branch, stage and hash.</summary>
    private Onnx.ModelProto BuildOnnx(OnnxExportOptions? options)
    {
        options ??= new OnnxExportOptions();
        options = options.EmbeddingDimension is null ? options with { EmbeddingDimension = EmbeddingDimension } : options;
        var model = OnnxExporter.ExportModel(new ResNet3dYBranchLayer(_backbone, Branch, Stage), options);
        foreach (var (key, value) in new[]
        {
            ("constcl.branch", Branch.ToString()),
            ("constcl.stage", Stage.ToString()),
            ("constcl.input_frames", Options.InputFrames.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("constcl.input_size", Options.InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("constcl.input_range", "-1..1"),
            ("constcl.encoder_hash", Hash),
        })
        {
            model.MetadataProps.Add(new Onnx.StringStringEntryProto { Key = key, Value = value });
        }

        return model;
    }

    private static string ComputeHash(ResNet3dY backbone, BackboneBranch branch, BackboneStage stage, InputMode inputMode, double deadZone)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var buffer = new MemoryStream())
        {
            NamedTensorCodec.Write(buffer, backbone.state_dict());
            sha.AppendData(buffer.GetBuffer(), 0, (int)buffer.Length);
        }

        sha.AppendData(System.Text.Encoding.UTF8.GetBytes("|branch=" + branch));
        if (stage != BackboneStage.Res5)
        {
            // Same weights, an earlier output: a different encoder (res5 hashes, and the caches keyed by them, stay as they were).
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes("|stage=" + stage));
        }

        if (inputMode != InputMode.Rgb)
        {
            // Same weights, different input transform: a different encoder (RGB hashes stay as they were).
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes("|input=" + inputMode));
        }

        if (deadZone > 0)
        {
            // A different input transform again; encoders without a dead zone keep their hashes.
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes("|deadzone=" + deadZone.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static void CheckBranch(BackboneBranch branch)
    {
        if (!Enum.IsDefined(branch))
        {
            throw new ArgumentOutOfRangeException(nameof(branch), branch, "branch must be Global or Local.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}

using ConstCl.Checkpoints;
using ConstCl.Embedding;
using ConstCl.Modeling;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Interop;

/// <summary>
/// Weights in and out of ConstCl as <c>.safetensors</c> files with PyTorch state-dict names, so a PyTorch user can load a
/// ConstCl encoder and a ConstCl user can start from weights trained elsewhere. The names are the model's own state
/// dict, which follows PyTorch's module naming: <c>backbone.stem.conv.weight</c>, <c>backbone.res2.0.temporal_bn.running_mean</c>,
/// <c>global_head.mlp.linears.0.weight</c>, … (the full mapping is in docs/export.md). Tensors are stored in their
/// dtype (float32 weights, int64 <c>num_batches_tracked</c>), row-major, with PyTorch's layouts (Conv3d weights
/// <c>[out, in, T, H, W]</c>, Linear <c>[out, in]</c>). The header's metadata carries the model options as JSON, so a
/// file written here imports without naming a preset.
/// </summary>
public static class WeightsExchange
{
    /// <summary>The file extension, <c>.safetensors</c>.</summary>
    public const string Extension = ".safetensors";

    /// <summary>Metadata key holding the model options (the JSON an encoder file stores).</summary>
    public const string ModelOptionsKey = "constcl.model_options";

    /// <summary>Metadata key holding what the file contains: <c>encoder</c> (backbone only) or <c>model</c> (every module).</summary>
    public const string ContentKey = "constcl.content";

    /// <summary>
    /// Writes the encoder's backbone (both res5 branches, BatchNorm running statistics included) under the names a whole
    /// model uses (<c>backbone.*</c>): in PyTorch, <c>model.load_state_dict(weights, strict=False)</c> fills the backbone.
    /// </summary>
    /// <param name="encoder">The encoder.</param>
    /// <param name="path">The <c>.safetensors</c> file (written to a temporary file, then renamed).</param>
    public static void ExportEncoder(VideoEncoder encoder, string path)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        Write(path, encoder.Backbone.state_dict().Select(kv => KeyValuePair.Create(BackboneKeys.Prefix + kv.Key, kv.Value)).ToList(), encoder.Options, "encoder");
    }

    /// <summary>Writes every module of <paramref name="model"/> (backbone, global head, local head) as its state dict.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The <c>.safetensors</c> file (written to a temporary file, then renamed).</param>
    public static void ExportModel(ConstClModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        Write(path, model.state_dict().ToList(), model.Options, "model");
    }

    /// <summary>
    /// Reads an encoder: the <c>backbone.*</c> tensors of a model or encoder file (or unprefixed backbone names, as
    /// <c>model.backbone.state_dict()</c> gives them). Every backbone tensor must be present with the right shape;
    /// float16/bfloat16/float64 weights are converted to float32.
    /// </summary>
    /// <param name="path">A <c>.safetensors</c> file.</param>
    /// <param name="options">The network the weights belong to; null takes them from the file's metadata (files written by ConstCl carry them).</param>
    /// <param name="branch">Which res5 the encoder runs.</param>
    /// <exception cref="CorruptFileException">The file breaks the safetensors format.</exception>
    /// <exception cref="InvalidDataException">Names, shapes or dtypes do not fit the network, a weight is not finite, or no options are known.</exception>
    public static VideoEncoder ImportEncoder(string path, ConstClModelOptions? options = null, BackboneBranch branch = BackboneBranch.Global)
    {
        using var contents = SafetensorsFile.Read(path);
        options ??= OptionsFromMetadata(contents);
        options.Validate();
        var tensors = BackboneKeys.AnyPrefixed(contents.Tensors.Keys)
            ? BackboneKeys.Strip(contents.Tensors)
            : contents.Tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        using var generator = new Generator(0);
        var backbone = ResNet3dY.Create(options.Backbone, generator);
        try
        {
            CopyInto(backbone, tensors, path, BackboneKeys.Prefix);
            return VideoEncoder.Owning(backbone, options, branch);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies weights into <paramref name="model"/>: a whole model's (the names must be exactly the model's state dict),
    /// or an encoder's (only <c>backbone.*</c> names: the backbone is filled and the heads keep their values). Nothing is
    /// changed when any check fails.
    /// </summary>
    /// <param name="model">The model to fill.</param>
    /// <param name="path">A <c>.safetensors</c> file written by <see cref="ExportModel"/>, <see cref="ExportEncoder"/> or PyTorch's <c>state_dict()</c>.</param>
    /// <returns>What the file held and was copied.</returns>
    /// <exception cref="CorruptFileException">The file breaks the safetensors format.</exception>
    /// <exception cref="InvalidDataException">Names, shapes or dtypes do not fit the model, or a weight is not finite.</exception>
    public static WeightsContent ImportInto(ConstClModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var contents = SafetensorsFile.Read(path);
        if (contents.Tensors.Count > 0 && contents.Tensors.Keys.All(BackboneKeys.IsPrefixed))
        {
            CopyInto(model.Backbone, BackboneKeys.Strip(contents.Tensors), path, BackboneKeys.Prefix);
            return WeightsContent.Encoder;
        }

        CopyInto(model, contents.Tensors, path, "");
        return WeightsContent.Model;
    }

    /// <summary>The model options a ConstCl-written file carries in its metadata.</summary>
    /// <exception cref="InvalidDataException">The file has none, or they do not parse.</exception>
    public static ConstClModelOptions ReadModelOptions(string path)
    {
        using var contents = SafetensorsFile.Read(path);
        return OptionsFromMetadata(contents);
    }

    private static ConstClModelOptions OptionsFromMetadata(SafetensorsContents contents)
    {
        if (!contents.Metadata.TryGetValue(ModelOptionsKey, out var json))
        {
            throw new InvalidDataException(
                $"'{contents.Path}' carries no ConstCl model options ('{ModelOptionsKey}' metadata): name the network the weights belong to (for example ConstClModelOptions.Tiny, or --preset on the command line).");
        }

        try
        {
            return EncoderOptionsJson.Parse(json, contents.Path);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException(ex.Message, ex);
        }
    }

    private static void Write(string path, List<KeyValuePair<string, Tensor>> tensors, ConstClModelOptions options, string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SafetensorsFile.Write(path, tensors, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            [ContentKey] = content,
            [ModelOptionsKey] = EncoderOptionsJson.Serialize(options),
        });
    }

    /// <summary>
    /// Checks names, shapes, dtype kinds and finiteness of every tensor against <paramref name="module"/>'s state dict,
    /// then copies (converting floating dtypes). Lists up to 20 problems in one message.
    /// </summary>
    private static void CopyInto(nn.Module module, IReadOnlyDictionary<string, Tensor> source, string path, string prefix)
    {
        var target = module.state_dict();
        var problems = new List<string>();
        foreach (var (name, live) in target)
        {
            if (!source.TryGetValue(name, out var saved))
            {
                continue;
            }

            if (!saved.shape.SequenceEqual(live.shape) || IsFloat(saved.dtype) != IsFloat(live.dtype))
            {
                problems.Add($"'{prefix}{name}' is {saved.dtype}[{string.Join(",", saved.shape)}], the network has {live.dtype}[{string.Join(",", live.shape)}]");
            }
            else if (IsFloat(saved.dtype) && saved.numel() > 0 && !saved.isfinite().all().item<bool>())
            {
                problems.Add($"'{prefix}{name}' holds NaN or infinite values");
            }
        }

        // Shape problems first: they say the most about a wrong network (a list of missing names says little).
        problems.AddRange(target.Keys.Where(k => !source.ContainsKey(k)).Select(k => $"missing '{prefix}{k}'"));
        problems.AddRange(source.Keys.Where(k => !target.ContainsKey(k)).Select(k => $"unexpected '{prefix}{k}'"));
        if (problems.Count > 0)
        {
            throw new InvalidDataException(
                $"The weights in '{path}' do not fit this {module.GetType().Name} ({target.Count} tensors): {string.Join("; ", problems.Take(20))}{(problems.Count > 20 ? $"; … {problems.Count - 20} more" : "")}.");
        }

        using var noGrad = torch.no_grad();
        foreach (var (name, live) in target)
        {
            live.copy_(source[name]);
        }
    }

    private static bool IsFloat(ScalarType type) => type is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Float16 or ScalarType.BFloat16;
}

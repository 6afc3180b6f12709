using ConstCl.Modeling;
using ConstCl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ConstCl.Checkpoints;

/// <summary>
/// A pre-trained backbone loaded back from an encoder file (<c>*.constcl</c>, written by <see cref="Pretrainer"/> through
/// <see cref="EncoderFile"/>): the <see cref="ResNet3dY"/> with its weights, in evaluation mode, and the model options it
/// was trained with (<see cref="ConstClModelOptions.InputFrames"/> and <see cref="ConstClModelOptions.InputSize"/> give the
/// clip shape it expects). Embed with <c>Backbone.ForwardBranch(x, BackboneBranch.Global)</c> under <c>torch.no_grad()</c>.
/// </summary>
public sealed class TrainedEncoder : IDisposable
{
    private TrainedEncoder(string path, ResNet3dY backbone, ConstClModelOptions modelOptions, string weightsSha256)
    {
        Path = path;
        Backbone = backbone;
        ModelOptions = modelOptions;
        WeightsSha256 = weightsSha256;
    }

    /// <summary>The file it was loaded from.</summary>
    public string Path { get; }

    /// <summary>The backbone, weights loaded, in <c>eval()</c> mode; input <c>[B, 3, T, H, W]</c>.</summary>
    public ResNet3dY Backbone { get; }

    /// <summary>The options of the pre-trained model (backbone shape and input clip shape).</summary>
    public ConstClModelOptions ModelOptions { get; }

    /// <summary>SHA-256 (hex) of the weights section, verified on load.</summary>
    public string WeightsSha256 { get; }

    /// <summary>
    /// Reads and verifies <paramref name="path"/>, rebuilds the backbone from the stored model options and loads the weights.
    /// Throws <see cref="CorruptFileException"/> for a damaged file and <see cref="ArgumentException"/> when the stored
    /// options are not ConstCl model options.
    /// </summary>
    /// <param name="path">The encoder file.</param>
    /// <param name="device">Where to put the backbone; null keeps it on the CPU.</param>
    public static TrainedEncoder Load(string path, Device? device = null)
    {
        using var contents = EncoderFile.Load(path);
        var options = PretrainingOptions.ModelFromJson(contents.ModelOptionsJson);
        options.Validate();
        using var generator = new Generator(0);
        var backbone = ResNet3dY.Create(options.Backbone, generator);
        try
        {
            contents.LoadInto(backbone);
            if (device is not null)
            {
                backbone.to(device);
            }

            backbone.eval();
            return new TrainedEncoder(contents.Path, backbone, options, contents.WeightsSha256);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
    }

    /// <summary>Frees the backbone.</summary>
    public void Dispose() => Backbone.Dispose();
}

using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Transforms;

namespace ConstCl.MLNet.Tests;

/// <summary>
/// The saved clip decoder is found by its contract name. Trap (platform facts): a contract name that another factory
/// also uses loads silently with the wrong types. These tests pin the name, check it is used by exactly one factory in
/// the ConstCl assemblies, and show what a colliding factory does to a loaded model.
/// </summary>
[Collection(MLNetCollection.Name)]
public sealed class DecoderContractTests
{
    private readonly MLNetTestData _data;

    public DecoderContractTests(MLNetTestData data) => _data = data;

    [Fact]
    public void ContractNameIsVersionedAndUsedByExactlyOneFactoryInTheConstClAssemblies()
    {
        Assert.Equal("ConstCl.VideoClipDecoder.v1", SavedColumns.DecoderContract);
        var assemblies = new[] { typeof(ConstClCatalog).Assembly, typeof(ConstCl.Modeling.ResNet3dY).Assembly }
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("ConstCl.", StringComparison.Ordinal) == true
                && a != typeof(DecoderContractTests).Assembly))
            .Distinct();
        var users = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => t.GetCustomAttribute<CustomMappingFactoryAttributeAttribute>()?.ContractName == SavedColumns.DecoderContract)
            .ToArray();
        Assert.Equal(new[] { typeof(VideoClipDecoderFactory) }, users);
    }

    [Fact]
    public void ACollidingContractNameFailsLoudlyInsteadOfDecodingWithTheWrongTypes()
    {
        var ml = _data.NewContext();
        var rows = _data.Videos.Take(2).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var transformer = ml.ConstCl().EmbedVideos(new ConstClEmbeddingOptions { EncoderPath = _data.EncoderPath, ClipCount = 1, CropCount = 1 }).Fit(data);
        var zip = Path.Combine(_data.NewFolder(), "contract.zip");
        ml.Model.Save(transformer, data.Schema, zip);

        // The impostor registered first: loading registers the ConstCl assembly named in the zip and fails loudly,
        // naming the contract, instead of decoding with the impostor's types (ML.NET 5.0.1).
        var ml2 = _data.NewContext();
        ml2.ComponentCatalog.RegisterAssembly(typeof(DecoderContractTests).Assembly);   // holds ImpostorDecoderFactory
        var loading = Assert.ThrowsAny<Exception>(() => ml2.Model.Load(zip, out _));
        Assert.Contains("'ConstCl.VideoClipDecoder.v1' has already been registered", Assertions.AllMessages(loading));

        // The other order: registering the impostor after ConstCl fails at registration.
        var ml3 = _data.NewContext();
        ml3.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
        var registering = Assert.ThrowsAny<Exception>(() => ml3.ComponentCatalog.RegisterAssembly(typeof(DecoderContractTests).Assembly));
        Assert.Contains("ConstCl.VideoClipDecoder.v1", Assertions.AllMessages(registering));

        // Without the impostor the same zip loads and embeds.
        var ml4 = _data.NewContext();
        ml4.ComponentCatalog.RegisterAssembly(typeof(ConstClCatalog).Assembly);
        var model = ml4.Model.Load(zip, out _);
        try
        {
            Assertions.CloseStandardized(
                Assertions.Embeddings(transformer.Transform(data)), Assertions.Embeddings(model.Transform(ml4.Data.LoadFromEnumerable(rows))), transformer.Standardization!);
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
    }
}

/// <summary>A factory that (wrongly) reuses the decoder's contract name with other types: the trap under test.</summary>
[CustomMappingFactoryAttribute("ConstCl.VideoClipDecoder.v1")]
public sealed class ImpostorDecoderFactory : CustomMappingFactory<ImpostorInput, ImpostorOutput>
{
    public override Action<ImpostorInput, ImpostorOutput> GetMapping() => (input, output) => output.Other = input.Anything.Length;
}

public sealed class ImpostorInput
{
    public string Anything { get; set; } = "";
}

public sealed class ImpostorOutput
{
    public float Other { get; set; }
}

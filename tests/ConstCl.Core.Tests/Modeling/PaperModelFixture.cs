using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>One Paper-preset model (~72M parameters, ~290 MB) shared by every test class in <see cref="PaperModelCollection"/>.</summary>
public sealed class PaperModelFixture : IDisposable
{
    public PaperModelFixture()
    {
        TorchRuntime.Initialize(2);
        Model = ConstClModel.Create(ConstClModelOptions.Paper, seed: 1);
    }

    public ConstClModel Model { get; }

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class PaperModelCollection : ICollectionFixture<PaperModelFixture>
{
    public const string Name = "Paper model";
}

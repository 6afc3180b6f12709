using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// One Paper-preset model (~72M parameters, ~290 MB) shared by every test class in <see cref="PaperModelCollection"/>.
/// It is built on first use, so a run that filters out the tests that use it (<c>--filter "Category!=Slow"</c>) never builds it.
/// </summary>
public sealed class PaperModelFixture : IDisposable
{
    private readonly Lazy<ConstClModel> _model = new(() =>
    {
        TorchRuntime.Initialize(2);
        return ConstClModel.Create(ConstClModelOptions.Paper, seed: 1);
    });

    public ConstClModel Model => _model.Value;

    public void Dispose()
    {
        if (_model.IsValueCreated)
        {
            _model.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PaperModelCollection : ICollectionFixture<PaperModelFixture>
{
    public const string Name = "Paper model";
}

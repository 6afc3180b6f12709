using System.Text;
using ConstCl.Modeling;
using ConstCl.Runtime;

namespace ConstCl.Core.Tests.Modeling;

/// <summary>
/// The state-dict key names and shapes are what keep checkpoints and imported weights loadable: they are pinned in
/// TestData/modeling/*_state_dict.txt (written by this code once and reviewed; regenerate with CONSTCL_WRITE_GOLDEN=1).
/// </summary>
[Collection(PaperModelCollection.Name)]
public class StateDictTests
{
    private readonly PaperModelFixture _paper;

    public StateDictTests(PaperModelFixture paper) => _paper = paper;

    [Trait("Category", "Slow")]   // the Paper-size model
    [Fact]
    public void PaperStateDictMatchesGolden() => Compare(_paper.Model, "paper_state_dict.txt");

    [Fact]
    public void TinyStateDictMatchesGolden()
    {
        TorchRuntime.Initialize(2);
        using var model = ConstClModel.Create(ConstClModelOptions.Tiny, seed: 1);
        Compare(model, "tiny_state_dict.txt");
    }

    [Fact]
    public void SmallStateDictMatchesGolden()
    {
        TorchRuntime.Initialize(2);
        using var model = ConstClModel.Create(ConstClModelOptions.Small, seed: 1);
        Compare(model, "small_state_dict.txt");
    }

    internal static string Describe(ConstClModel model)
    {
        var sb = new StringBuilder();
        foreach (var (name, tensor) in model.state_dict())
        {
            sb.Append(name).Append(' ').Append('[').Append(string.Join(", ", tensor.shape)).Append(']').Append('\n');
        }

        return sb.ToString();
    }

    private static void Compare(ConstClModel model, string file)
    {
        var actual = Describe(model);
        if (Environment.GetEnvironmentVariable("CONSTCL_WRITE_GOLDEN") == "1")
        {
            var source = Path.Combine(FindRepoRoot(), "tests", "ConstCl.Core.Tests", "TestData", "modeling", file);
            File.WriteAllText(source + ".tmp", actual);
            File.Move(source + ".tmp", source, overwrite: true);
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "modeling", file)).Replace("\r\n", "\n");
        Assert.Equal(expected, actual);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConstCl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ConstCl.sln not found above the test output folder.");
    }
}

using ConstCl.Checkpoints;

namespace ConstCl.Core.Tests.Checkpoints;

public class OptionsDiffTests
{
    [Fact]
    public void ListsNestedArrayAndMissingFieldsByPath()
    {
        const string saved = "{\"A\":1,\"Model\":{\"Width\":8,\"Depth\":[1,2,3]},\"Gone\":true,\"Same\":\"x\"}";
        const string current = "{\"A\":2,\"Model\":{\"Width\":8,\"Depth\":[1,5,3]},\"Same\":\"x\",\"New\":null}";
        var diff = OptionsDiff.Compare(saved, current);
        Assert.Equal(
            new[] { "A: 1 → 2", "Model.Depth[1]: 2 → 5", "Gone: true → (absent)", "New: (absent) → null" },
            diff.Select(d => d.ToString()));
        Assert.Empty(OptionsDiff.Compare(saved, saved));
        Assert.Equal(new[] { "Model.Depth[1]" }, OptionsDiff.Compare(saved, current, new HashSet<string> { "A", "Gone", "New" }).Select(d => d.Path));
    }
}

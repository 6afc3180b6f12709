namespace ConstCl.Core.Tests;

/// <summary>The repository's root folder, for tests that read its sources and docs.</summary>
internal static class RepositoryRoot
{
    /// <summary>The first folder above the test output that holds ConstCl.sln.</summary>
    internal static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ConstCl.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("ConstCl.sln not found above the test output folder.");
    }
}

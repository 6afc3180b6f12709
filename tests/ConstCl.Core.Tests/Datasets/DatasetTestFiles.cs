using System.Text;

namespace ConstCl.Core.Tests.Datasets;

/// <summary>Fixture locations and a self-deleting temporary folder for dataset tests.</summary>
internal sealed class DatasetTestFiles : IDisposable
{
    internal DatasetTestFiles()
    {
        Root = Path.Combine(Path.GetTempPath(), "constcl-datasets-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    /// <summary>Checked-in fixtures (see TestData/datasets/make_fixtures.py).</summary>
    internal static string Fixtures => Path.Combine(AppContext.BaseDirectory, "TestData", "datasets");

    internal string Root { get; }

    /// <summary>Writes text exactly as given (no newline translation), optionally with a UTF-8 BOM.</summary>
    internal string Write(string relative, string text, bool bom = false)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] body = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(path, bom ? [0xEF, 0xBB, 0xBF, .. body] : body);
        return path;
    }

    /// <summary>Creates an empty placeholder file.</summary>
    internal string Touch(string relative) => Write(relative, string.Empty);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

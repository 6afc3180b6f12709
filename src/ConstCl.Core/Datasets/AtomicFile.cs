using System.Text;

namespace ConstCl.Datasets;

/// <summary>Writes files so that readers see either the old or the complete new content, never a partial one.</summary>
internal static class AtomicFile
{
    /// <summary>Writes UTF-8 text (no BOM) to a temporary file beside <paramref name="path"/>, then renames it.</summary>
    internal static void WriteAllText(string path, string text)
    {
        string tmp = TempPathFor(path);
        try
        {
            File.WriteAllText(tmp, text, new UTF8Encoding(false));
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>A unique temporary name in the same folder (same file system, so the rename is atomic), keeping the extension.</summary>
    internal static string TempPathFor(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(path)}");
    }
}

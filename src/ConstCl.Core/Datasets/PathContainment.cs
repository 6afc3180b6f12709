namespace ConstCl.Datasets;

/// <summary>Whether a path lies inside a folder once symbolic links are resolved (the data-root check).</summary>
internal static class PathContainment
{
    /// <summary>
    /// The absolute path with every symbolic link along it resolved (a folder link too, not only the last name), so a
    /// link inside the root that points out of it is seen as outside. Names that do not exist are kept as written.
    /// </summary>
    internal static string RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string root = Path.GetPathRoot(full)!;
        string current = root;
        foreach (string part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
            {
                // A relative target is relative to the link's folder; the target may itself hold links further up.
                current = RealPath(Path.GetFullPath(target.FullName));
            }
        }

        return current;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it (both already real, absolute).</summary>
    internal static bool IsInside(string root, string path)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string withSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        return string.Equals(path, root, comparison) || path.StartsWith(withSeparator, comparison);
    }
}

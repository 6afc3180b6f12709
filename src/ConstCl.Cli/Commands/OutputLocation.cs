namespace ConstCl.Cli.Commands;

/// <summary>
/// Checks that an output folder can be written before long work starts (issue 14: a read-only <c>--out</c> was found only
/// after computing every embedding, or after fitting the probe).
/// </summary>
internal static class OutputLocation
{
    /// <summary>
    /// Creates <paramref name="directory"/> if missing and creates and deletes a file in it; throws a
    /// <see cref="CommandException"/> (exit code 1) naming the folder and the option when either fails.
    /// </summary>
    /// <param name="directory">The folder outputs will go to.</param>
    /// <param name="option">The option that chose it ("--out"), for the message.</param>
    internal static void EnsureWritable(string directory, string option)
    {
        string full = Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(full);
            string probe = Path.Combine(full, $".constcl-write-test-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandException(ExitCodes.Failure, $"cannot write to '{full}' ({e.Message}); give a writable {option}.");
        }
    }

    /// <summary><see cref="EnsureWritable"/> for the folder that will hold <paramref name="file"/>.</summary>
    internal static void EnsureFileWritable(string file, string option) =>
        EnsureWritable(Path.GetDirectoryName(Path.GetFullPath(file))!, option);
}

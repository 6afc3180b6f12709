using System.Text;

namespace ConstCl.IO;

/// <summary>
/// The one way ConstCl writes a file: readers see either the old or the complete new content, never a partial one
/// (write a temporary file in the same folder, then rename it over the target; the temporary file is removed on failure).
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <paramref name="path"/> through <paramref name="write"/>, which receives the temporary file's stream. The
    /// temporary file is <c>PATH.tmp-GUID</c> (what checkpoint and embedding-part clean-ups look for after a crash).
    /// </summary>
    /// <param name="path">The file to create or replace (its folder is created).</param>
    /// <param name="write">Writes the whole content.</param>
    /// <param name="durable">Flush to the disk before the rename (checkpoints, encoders, weights: the rename must not land
    /// before the bytes do).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    public static void Write(string path, Action<Stream> write, bool durable = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            try
            {
                File.Delete(temp);   // nothing to delete after the rename
            }
            catch (IOException)
            {
                // Best effort: a stale temporary file is never read as the real one.
            }
        }
    }

    /// <summary>Writes UTF-8 text without a byte-order mark.</summary>
    /// <param name="path">The file to create or replace (its folder is created).</param>
    /// <param name="text">The whole content.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static void WriteAllText(string path, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream => stream.Write(Utf8NoBom.GetBytes(text)));
    }

    /// <summary>Writes UTF-8 lines without a byte-order mark, each ended by <c>\n</c>.</summary>
    internal static void WriteAllLines(string path, IEnumerable<string> lines) =>
        WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));

    /// <summary>
    /// For writers that take a path, not a stream (image and video encoders that choose the format from the extension):
    /// <paramref name="write"/> receives a temporary path in the target's folder with the same extension
    /// (<see cref="TempPathFor"/>), which is then renamed over <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file to create or replace (its folder is created).</param>
    /// <param name="write">Writes the whole content to the path it receives.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="write"/> is null.</exception>
    public static void WriteThroughPath(string path, Action<string> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = TempPathFor(full);
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// A unique temporary name in the same folder (same file system, so the rename is atomic) that keeps the extension,
    /// for writers that choose the format from it (OpenCV's VideoWriter); the caller renames and cleans up.
    /// </summary>
    internal static string TempPathFor(string path)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(path)}.{Guid.NewGuid():N}.tmp{Path.GetExtension(path)}");
    }
}

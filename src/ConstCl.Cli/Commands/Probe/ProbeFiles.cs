using System.Text;
using ConstCl.IO;

namespace ConstCl.Cli.Commands.Probe;

/// <summary>Atomic file writes and CSV quoting for the probe's outputs (Core's helpers are internal to its friends).</summary>
internal static class ProbeFiles
{
    /// <summary>Writes UTF-8 text (no BOM) to a temporary file beside <paramref name="path"/>, then renames it over the target.</summary>
    internal static void WriteAllText(string path, string text) => WriteAtomically(path, tmp => File.WriteAllText(tmp, text, new UTF8Encoding(false)));

    /// <summary>Calls <paramref name="write"/> with a temporary path in the target's folder (same extension), then renames it.</summary>
    internal static void WriteAtomically(string path, Action<string> write) => AtomicFile.WriteThroughPath(path, write);

    /// <summary>A CSV field: quoted when it holds a comma, quote or line break, inner quotes doubled.</summary>
    internal static string CsvField(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}

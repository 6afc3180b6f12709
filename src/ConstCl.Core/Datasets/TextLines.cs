using System.Text;

namespace ConstCl.Datasets;

/// <summary>Reads text list files the way they are found in the wild: any BOM, LF or CRLF, blank lines.</summary>
internal static class TextLines
{
    /// <summary>One line of a file with its one-based number.</summary>
    internal readonly record struct Line(int Number, string Text);

    /// <summary>Reads every line; the BOM is removed and line endings (LF, CRLF, CR) are stripped.</summary>
    internal static List<Line> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"List file not found: '{path}'.", path);
        }

        var lines = new List<Line>();
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        foreach (Line line in Enumerate(reader))
        {
            // A second BOM (files concatenated or re-saved) survives the reader's detection.
            bool secondBom = line.Number == 1 && line.Text.Length > 0 && line.Text[0] == '\uFEFF';
            lines.Add(secondBom ? line with { Text = line.Text[1..] } : line);
        }

        return lines;
    }

    /// <summary>Reads <paramref name="reader"/> to its end, numbering the lines from one (nothing is stripped but line endings).</summary>
    internal static IEnumerable<Line> Enumerate(TextReader reader)
    {
        string? text;
        int n = 0;
        while ((text = reader.ReadLine()) is not null)
        {
            yield return new Line(++n, text);
        }
    }

    /// <summary>Splits on runs of spaces and tabs (list files use either).</summary>
    internal static string[] SplitWhitespace(string text) =>
        text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
